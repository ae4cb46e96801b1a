// A stand-in for Cloudflare Access for SaaS (OIDC) on 127.0.0.1, under an app-scoped issuer path,
// that a test can make misbehave: deny a sign-in, drop the code, refuse the exchange, or answer
// with any id_token at all (the adversarial ones of issue 14's first finding). The end-to-end
// suites use the Access emulator's own OIDC application instead.
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK, type JWTPayload } from "jose";
import { onTestFinished } from "vitest";

export const CLIENT_ID = "access-saas-client";
export const CLIENT_SECRET = "access-saas-secret-never-printed";

interface PendingCode {
  email: string;
  nonce: string;
  codeChallenge: string;
  redirectUri: string;
}

/** What the token endpoint answers, given the claims a good id_token would carry. */
export type IdTokenMaker = (
  claims: JWTPayload & { email: string; nonce: string },
) => Promise<string> | string;

export interface TestIdentityProvider {
  issuer: string;
  /** The email the next sign-in returns. */
  signInAs(email: string): void;
  /** The next /authorization answers the redirect URI with `error=<error>`. */
  denyNext(error?: string): void;
  /** The next /authorization redirects with a state but no code. */
  dropNextCode(): void;
  /** The next /token answers 400 invalid_grant. */
  refuseNextExchange(): void;
  /** Replaces the id_token of the next token responses until reset with `undefined`. */
  issueIdTokens(maker: IdTokenMaker | undefined): void;
  /** A correctly signed id_token with these claims (for makers that tweak one thing). */
  sign(claims: JWTPayload, header?: Record<string, unknown>): Promise<string>;
  publicJwk: JWK;
  /** The signing key's public half as PEM (what an HS256 key-confusion attack signs with). */
  publicPem: string;
  /** Every token request's form, with the client secret replaced by whether it matched. */
  tokenRequests: Record<string, string>[];
}

export async function startTestIdentityProvider(): Promise<TestIdentityProvider> {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const publicJwk = { ...(await exportJWK(publicKey)), kid: "key-1", alg: "RS256", use: "sig" };
  const codes = new Map<string, PendingCode>();
  let email = "ada@example.com";
  let deny: string | undefined;
  let dropCode = false;
  let refuseExchange = false;
  let maker: IdTokenMaker | undefined;
  const tokenRequests: Record<string, string>[] = [];
  let issuer = "";

  const sign = (claims: JWTPayload, header: Record<string, unknown> = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: "key-1", ...header })
      .sign(privateKey);

  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", issuer);
    const path = url.pathname.slice(new URL(issuer).pathname.length);
    const json = (status: number, body: unknown) =>
      response.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
    if (path === "/jwks") return json(200, { keys: [publicJwk] });
    if (path === "/authorization") {
      const redirect = new URL(url.searchParams.get("redirect_uri") ?? "");
      redirect.searchParams.set("state", url.searchParams.get("state") ?? "");
      if (deny !== undefined) {
        redirect.searchParams.set("error", deny);
        deny = undefined;
      } else if (dropCode) {
        dropCode = false;
      } else {
        const code = randomBytes(16).toString("hex");
        codes.set(code, {
          email,
          nonce: url.searchParams.get("nonce") ?? "",
          codeChallenge: url.searchParams.get("code_challenge") ?? "",
          redirectUri: redirect.origin + redirect.pathname,
        });
        redirect.searchParams.set("code", code);
      }
      return response.writeHead(302, { Location: redirect.href }).end();
    }
    if (path === "/token" && request.method === "POST") {
      let body = "";
      for await (const chunk of request) body += String(chunk);
      const form = Object.fromEntries(new URLSearchParams(body));
      tokenRequests.push({ ...form, client_secret: String(form.client_secret === CLIENT_SECRET) });
      if (refuseExchange) {
        refuseExchange = false;
        return json(400, { error: "invalid_grant" });
      }
      const pending = codes.get(form.code ?? "");
      codes.delete(form.code ?? "");
      const verifierOk =
        pending !== undefined &&
        createHash("sha256")
          .update(form.code_verifier ?? "")
          .digest("base64url") === pending.codeChallenge;
      if (
        !pending ||
        !verifierOk ||
        form.client_id !== CLIENT_ID ||
        form.client_secret !== CLIENT_SECRET ||
        form.redirect_uri !== pending.redirectUri
      ) {
        return json(400, { error: "invalid_grant" });
      }
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        iss: issuer,
        aud: CLIENT_ID,
        sub: "user-1",
        email: pending.email,
        nonce: pending.nonce,
        iat: now,
        exp: now + 300,
      };
      const idToken = maker ? await maker(claims) : await sign(claims);
      return json(200, {
        access_token: "opaque",
        token_type: "Bearer",
        id_token: idToken,
        expires_in: 300,
      });
    }
    json(404, { error: "not_found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cdn-cgi/access/sso/oidc/${CLIENT_ID}`;
  return {
    issuer,
    signInAs: (next) => void (email = next),
    denyNext: (error = "access_denied") => void (deny = error),
    dropNextCode: () => void (dropCode = true),
    refuseNextExchange: () => void (refuseExchange = true),
    issueIdTokens: (next) => void (maker = next),
    sign,
    publicJwk,
    publicPem: await exportSPKI(publicKey),
    tokenRequests,
  };
}
