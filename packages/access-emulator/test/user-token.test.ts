import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  generateKeyPair,
  jwtVerify,
  SignJWT,
} from "jose";
import { describe, expect, it } from "vitest";
import { expectBlockPage, useAccessEmulator, type EchoBody } from "./emulator-fixture.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("user tokens", () => {
  it.each([
    [
      "the CF_Authorization cookie",
      "cookie",
      (jwt: string) => ({ cookie: `theme=dark; CF_Authorization=${jwt}` }),
    ],
    [
      "the cf-access-token header",
      "user_token_header",
      (jwt: string) => ({ "cf-access-token": jwt }),
    ],
  ])(
    "forwards a valid token sent as %s with a user assertion",
    async (_how, credential, headers) => {
      const access = await useAccessEmulator({
        type: "self_hosted",
        allowedEmails: ["dev@example.com"],
      });
      const jwt = await access.issueUserToken("Dev@Example.com");

      const response = await fetch(`${access.url}/me`, { headers: headers(jwt) });

      expect(response.status).toBe(200);
      const echoed = (await response.json()) as EchoBody;
      expect(echoed.headers["cf-access-token"]).toBeUndefined();
      expect(echoed.headers["cf-access-authenticated-user-email"]).toBe("dev@example.com");
      const assertion = echoed.headers["cf-access-jwt-assertion"]!;
      expect(decodeProtectedHeader(assertion)).toMatchObject({
        alg: "RS256",
        kid: expect.any(String),
      });
      const { payload } = await jwtVerify(assertion, createRemoteJWKSet(new URL(access.certsUrl)), {
        algorithms: ["RS256"],
        issuer: access.teamDomain,
        audience: access.aud,
      });
      expect(payload).toMatchObject({
        type: "app",
        aud: [access.aud],
        iss: access.teamDomain,
        email: "dev@example.com",
        sub: expect.stringMatching(UUID),
        identity_nonce: expect.any(String),
        country: expect.any(String),
      });
      expect(payload.nbf).toBeLessThanOrEqual(payload.iat!);
      expect(access.decisions.at(-1)).toMatchObject({
        credential,
        outcome: "allowed",
        identity: "dev@example.com",
      });
    },
  );

  it("gives one email the same sub and a fresh identity_nonce on each sign-in", async () => {
    const access = await useAccessEmulator({ type: "self_hosted" });
    const first = decodeJwt(await access.issueUserToken("a@example.com"));
    const second = decodeJwt(await access.issueUserToken("a@example.com"));
    const other = decodeJwt(await access.issueUserToken("b@example.com"));
    expect(second.sub).toBe(first.sub);
    expect(other.sub).not.toBe(first.sub);
    expect(second.identity_nonce).not.toBe(first.identity_nonce);
  });

  it("applies the email rules: listed emails and listed domains pass, others get the block page", async () => {
    const access = await useAccessEmulator({
      type: "self_hosted",
      allowedEmails: ["boss@other.org"],
      allowedEmailDomains: ["example.com"],
    });
    for (const email of ["boss@other.org", "anyone@example.com"]) {
      const jwt = await access.issueUserToken(email);
      expect((await fetch(access.url, { headers: { "cf-access-token": jwt } })).status).toBe(200);
    }
    const outsider = await access.issueUserToken("mallory@evil.example");
    await expectBlockPage(
      await fetch(access.url, { headers: { "cf-access-token": outsider } }),
      "email_not_allowed",
    );
  });

  it("refuses user tokens on a service-auth-only application", async () => {
    const access = await useAccessEmulator({ type: "service_auth_only" });
    const jwt = await access.issueUserToken("dev@example.com");
    await expectBlockPage(
      await fetch(access.url, { headers: { "cf-access-token": jwt } }),
      "service_auth_only",
    );
  });

  describe("bad tokens get the 403 block page, never a 500", () => {
    it("an expired token", async () => {
      const access = await useAccessEmulator({ type: "self_hosted" });
      const jwt = await access.issueUserToken("dev@example.com", {
        expiresAt: new Date(Date.now() - 60_000),
      });
      await expectBlockPage(
        await fetch(access.url, { headers: { cookie: `CF_Authorization=${jwt}` } }),
        "token_expired",
      );
    });

    it("a tampered token", async () => {
      const access = await useAccessEmulator({ type: "self_hosted" });
      const [header, payload, signature] = (await access.issueUserToken("dev@example.com")).split(
        ".",
      );
      const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<
        string,
        unknown
      >;
      const forged = Buffer.from(
        JSON.stringify({ ...claims, email: "admin@example.com" }),
      ).toString("base64url");
      await expectBlockPage(
        await fetch(access.url, {
          headers: { "cf-access-token": `${header}.${forged}.${signature}` },
        }),
        "token_bad_signature",
      );
    });

    it("a token for another application", async () => {
      const access = await useAccessEmulator({ type: "self_hosted" });
      const jwt = await access.issueUserToken("dev@example.com", { audience: "another-app" });
      await expectBlockPage(
        await fetch(access.url, { headers: { "cf-access-token": jwt } }),
        "token_wrong_audience",
      );
    });

    it("a token from another team", async () => {
      const access = await useAccessEmulator({ type: "self_hosted" });
      const jwt = await access.issueUserToken("dev@example.com", {
        issuer: "https://evil.cloudflareaccess.com",
      });
      await expectBlockPage(
        await fetch(access.url, { headers: { "cf-access-token": jwt } }),
        "token_wrong_issuer",
      );
    });

    it("a token signed by a key Access never published, with or without a published kid", async () => {
      const access = await useAccessEmulator({ type: "self_hosted" });
      const { privateKey } = await generateKeyPair("RS256");
      const certs = (await (await fetch(access.certsUrl)).json()) as { keys: { kid: string }[] };
      const forge = (kid: string) =>
        new SignJWT({ type: "app", email: "dev@example.com" })
          .setProtectedHeader({ alg: "RS256", kid })
          .setAudience([access.aud])
          .setIssuer(access.teamDomain)
          .setIssuedAt()
          .setExpirationTime("1h")
          .sign(privateKey);
      await expectBlockPage(
        await fetch(access.url, {
          headers: { "cf-access-token": await forge(certs.keys[0]!.kid) },
        }),
        "token_bad_signature",
      );
      await expectBlockPage(
        await fetch(access.url, {
          headers: { "cf-access-token": await forge("not-a-published-kid") },
        }),
        "token_unknown_key",
      );
    });

    it.each([
      ["garbage", "not-a-jwt"],
      ["three empty parts", ".."],
      [
        "an unsigned token",
        `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from("{}").toString("base64url")}.`,
      ],
      ["a huge value", "x".repeat(6000)],
    ])("%s", async (_case, token) => {
      const access = await useAccessEmulator({ type: "self_hosted" });
      await expectBlockPage(
        await fetch(access.url, { headers: { "cf-access-token": token } }),
        "token_malformed",
      );
    });
  });
});
