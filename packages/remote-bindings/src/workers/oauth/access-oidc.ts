import type { AccessOidcApp } from "./oauth-settings.js";

const TOKEN_REQUEST_TIMEOUT_MS = 10_000;

/** OIDC Core §3.1.2.1 with PKCE S256 (RFC 7636): where the browser signs in at Access. */
export function accessAuthorizationUrl(
  app: AccessOidcApp,
  params: { redirectUri: string; state: string; nonce: string; codeChallenge: string },
): string {
  const url = new URL(app.authorizationEndpoint);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", app.clientId);
  url.searchParams.set("redirect_uri", params.redirectUri);
  url.searchParams.set("scope", "openid email");
  url.searchParams.set("state", params.state);
  url.searchParams.set("nonce", params.nonce);
  url.searchParams.set("code_challenge", params.codeChallenge);
  url.searchParams.set("code_challenge_method", "S256");
  return url.href;
}

export type CodeExchange =
  | { ok: true; idToken: string }
  | { ok: false; kind: "unreachable" | "invalid_response" }
  | { ok: false; kind: "refused"; error: string };

/**
 * OIDC Core §3.1.3: the code, our verifier and the client secret go to Access's token endpoint
 * (client_secret_post), and the id_token comes back. Redirects are not followed: the secret must
 * not travel anywhere else. Nothing here throws; every outcome is a value.
 */
export async function exchangeAccessCode(
  app: AccessOidcApp,
  params: { code: string; redirectUri: string; codeVerifier: string },
): Promise<CodeExchange> {
  let response: Response;
  let body: unknown;
  try {
    response = await fetch(app.tokenEndpoint, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: params.code,
        redirect_uri: params.redirectUri,
        code_verifier: params.codeVerifier,
        client_id: app.clientId,
        client_secret: app.clientSecret,
      }),
    });
    body = await response.json().catch(() => undefined);
  } catch {
    return { ok: false, kind: "unreachable" };
  }
  const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  if (response.status !== 200) {
    const error = typeof fields.error === "string" ? fields.error : `HTTP ${response.status}`;
    return { ok: false, kind: "refused", error: error.replace(/[^\x20-\x7e]/g, "").slice(0, 64) };
  }
  if (typeof fields.id_token !== "string" || fields.id_token === "") {
    return { ok: false, kind: "invalid_response" };
  }
  return { ok: true, idToken: fields.id_token };
}
