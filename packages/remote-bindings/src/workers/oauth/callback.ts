import type { OAuthAuthorizationServer } from "@cloudflare/workers-oauth-provider";
import { accessAuthorizationUrl, exchangeAccessCode } from "./access-oidc.js";
import { isAllowed } from "./allow-list.js";
import { keyedHash, sha256 } from "./keyed-hash.js";
import type { GrantProps, OAuthModeEnv } from "./oauth-env.js";
import { OAUTH_PATHS } from "./oauth-paths.js";
import type { OAuthSettings } from "./oauth-settings.js";
import { htmlPage, plainText, type PageText } from "./pages.js";
import { consumeUpstream, loadUpstream } from "./upstream-state.js";
import { verifyIdToken } from "./verify-id-token.js";

const KEYS_UNAVAILABLE = new Set(["keys_unavailable", "ERR_JWKS_TIMEOUT", "ERR_JOSE_GENERIC"]);

/**
 * `GET /oauth/callback`: Cloudflare Access sends the browser back here. Every check comes
 * before the state is spent (the sign-in is bound to this browser, Access said yes, the code
 * exchanges, the id_token verifies, the account is allowed); any failure leaves it in place, so
 * the "Sign in again" link on the page retries within its ten minutes. Only a complete success
 * deletes it, and a replay after that finds nothing.
 */
export async function callback(
  request: Request,
  env: OAuthModeEnv,
  authorization: OAuthAuthorizationServer<OAuthModeEnv>,
  settings: OAuthSettings,
): Promise<Response> {
  if (request.method !== "GET")
    return plainText(405, "Only GET is allowed here.", { Allow: "GET" });
  const loaded = await loadUpstream(env, request);
  if (!loaded.ok) {
    return page(400, "This sign-in link cannot be used", [
      loaded.reason === "other_browser"
        ? "It was opened in another browser than the one that started the sign-in."
        : "It has expired, was already used, or was never issued by this proxy server.",
      "Run access-bridge login --remote <this proxy's URL> again.",
    ]);
  }
  const { state, record } = loaded;
  const redirectUri = `${new URL(request.url).origin}${OAUTH_PATHS.CALLBACK}`;
  const retry = {
    href: accessAuthorizationUrl(settings.access, {
      redirectUri,
      state,
      nonce: record.nonce,
      codeChallenge: await sha256(record.codeVerifier),
    }),
    text: "Sign in again",
  };
  const params = new URL(request.url).searchParams;
  const error = params.get("error");
  if (error !== null) {
    const said = error.replace(/[^\x20-\x7e]/g, "").slice(0, 64);
    return page(
      403,
      "Cloudflare Access did not sign you in",
      [`Access answered "${said}".`],
      retry,
    );
  }
  const codes = params.getAll("code");
  if (codes.length !== 1 || codes[0] === "") {
    return page(400, "Cloudflare Access sent no code", ["The sign-in did not complete."], retry);
  }
  const exchanged = await exchangeAccessCode(settings.access, {
    code: codes[0] as string,
    redirectUri,
    codeVerifier: record.codeVerifier,
  });
  if (!exchanged.ok) {
    const why =
      exchanged.kind === "refused"
        ? `Access refused the code (${exchanged.error}).`
        : exchanged.kind === "unreachable"
          ? "Access's token endpoint could not be reached."
          : "Access's token endpoint answered without an id_token.";
    return page(
      exchanged.kind === "unreachable" ? 502 : 400,
      "The sign-in could not be completed",
      [why],
      retry,
    );
  }
  const verified = await verifyIdToken(settings.access, exchanged.idToken, record.nonce);
  if (!verified.ok) {
    return page(
      KEYS_UNAVAILABLE.has(verified.reason) ? 502 : 400,
      "The sign-in could not be verified",
      [`The id_token from Access was refused (${verified.reason}).`],
      retry,
    );
  }
  const email = verified.claims.email;
  if (typeof email !== "string" || !isAllowed(settings.allowList, email)) {
    return page(
      403,
      "This account may not use this proxy server",
      ["Ask the proxy server's operator to add it, or sign in with another account."],
      retry,
    );
  }

  const clearCookie = await consumeUpstream(env, state);
  const normalised = email.trim().toLowerCase();
  const props: GrantProps = { email: normalised };
  const { redirectTo } = await authorization.getOAuthApi(env).completeAuthorization({
    request: record.request,
    // The grant store keeps userId and metadata in the clear: a keyed hash, and nothing.
    userId: await keyedHash(settings.userIdKey, "user", normalised),
    metadata: {},
    scope: record.request.scope,
    props,
  });
  return new Response(null, {
    status: 302,
    headers: { Location: redirectTo, "Set-Cookie": clearCookie },
  });
}

function page(
  status: number,
  title: string,
  paragraphs: string[],
  link?: PageText["link"],
): Response {
  return htmlPage(status, { title, paragraphs, ...(link ? { link } : {}) });
}
