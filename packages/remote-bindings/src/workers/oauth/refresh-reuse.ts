import type { OAuthAuthorizationServer } from "@cloudflare/workers-oauth-provider";
import { isIssuedToken } from "./input-bounds.js";
import { sha256 } from "./keyed-hash.js";
import type { OAuthModeEnv } from "./oauth-env.js";
import { oauthError } from "./token-request-bounds.js";

/**
 * Refresh-token reuse detection (RFC 9700 §4.14.2). Every refresh rotates the refresh token, so
 * a refresh token that has been exchanged once should never be seen again; when it is, either the
 * client or a thief still holds it, and the server cannot tell which. So the whole grant is
 * revoked (every access and refresh token of it) and the rightful client must sign in again.
 *
 * workers-oauth-provider 1.2.3 does not do this: it keeps the previous refresh token usable until
 * the new one is used (a grace for a lost response), and refuses older ones without touching the
 * grant. This layer therefore remembers each refresh token it saw exchanged, as a SHA-256 under
 * its own KV prefix, for as long as a sign-in can last, and checks every refresh against it
 * before the provider sees the request.
 */
const RETIRED_PREFIX = "access-bridge-retired-refresh:";

async function retiredKey(refreshToken: string): Promise<string> {
  return `${RETIRED_PREFIX}${await sha256(refreshToken)}`;
}

/** The refresh token of a `refresh_token` grant request, if it is one this server could issue. */
function presentedRefreshToken(form: FormData | undefined): string | undefined {
  if (form?.get("grant_type") !== "refresh_token") return undefined;
  const values = form.getAll("refresh_token");
  return values.length === 1 && isIssuedToken(values[0]) ? values[0] : undefined;
}

/**
 * A refresh token that was already exchanged: revokes its grant and answers `invalid_grant`.
 * `undefined` for any other request.
 */
export async function refuseReusedRefreshToken(
  form: FormData | undefined,
  env: OAuthModeEnv,
  authorization: OAuthAuthorizationServer<OAuthModeEnv>,
): Promise<Response | undefined> {
  const refreshToken = presentedRefreshToken(form);
  if (refreshToken === undefined) return undefined;
  if ((await env.OAUTH_KV.get(await retiredKey(refreshToken))) === null) return undefined;
  // The token is `<userId>:<grantId>:<secret>` (checked above); its marker exists only if this
  // server issued it and saw it exchanged.
  const [userId, grantId] = refreshToken.split(":") as [string, string];
  await authorization.getOAuthApi(env).revokeGrant(grantId, userId);
  // Neither the token nor who it belongs to: enough for an operator to know it happened.
  console.warn(
    "access-bridge OAuth mode: a refresh token that had already been exchanged was presented again; its sign-in is revoked (RFC 9700 §4.14.2).",
  );
  return oauthError(
    400,
    "invalid_grant",
    "This refresh token was already used, so it may have been stolen: the sign-in it belongs to is revoked. Sign in again.",
  );
}

/** After the provider exchanged a refresh token: remember it, so that its next use is caught. */
export async function retireRefreshToken(
  form: FormData | undefined,
  env: OAuthModeEnv,
  signInLifetimeSeconds: number,
): Promise<void> {
  const refreshToken = presentedRefreshToken(form);
  if (refreshToken === undefined) return;
  // No grant outlives the sign-in's lifetime (refreshes do not extend it), so neither need this.
  await env.OAUTH_KV.put(await retiredKey(refreshToken), "retired", {
    expirationTtl: signInLifetimeSeconds,
  });
}
