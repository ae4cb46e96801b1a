import { SignJWT } from "jose";
import type { SigningKeys } from "../signing-keys.js";
import type { Grant, OidcUser } from "./grants.js";
import type { OidcScope } from "./oidc-options.js";

/** The claims about the user that a scope releases: in the id_token and from userinfo. */
export function userClaims(user: OidcUser, scope: readonly OidcScope[]): Record<string, unknown> {
  return {
    sub: user.sub,
    ...(scope.includes("email") ? { email: user.email } : {}),
    // The emulator has no identity provider behind it, so no group is ever known.
    ...(scope.includes("groups") ? { groups: [] } : {}),
  };
}

/**
 * How a test changes the next id_token, to check a relying party's verification: `claims` are
 * merged into the real claims and still signed with the current key (a wrong `aud`, `iss`,
 * `nonce` or `exp`; `undefined` removes a claim); `replace` swaps the finished token for anything
 * at all (`alg: none`, HS256 with the public key, an unknown `kid`, bad base64).
 */
export type IdTokenChange =
  { claims: Record<string, unknown> } | { replace: (idToken: string) => string | Promise<string> };

export interface IdTokenRequest {
  issuer: string;
  grant: Grant;
  lifetimeSeconds: number;
  /** Only for the code exchange: a refreshed id_token carries none (OIDC Core §12.2). */
  nonce?: string;
  change?: IdTokenChange;
}

/** RS256 id_tokens signed with the application's current Access key, `kid` in the header. */
export async function mintIdToken(keys: SigningKeys, request: IdTokenRequest): Promise<string> {
  const { grant, change } = request;
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: request.issuer,
    aud: grant.clientId,
    ...userClaims(grant.user, grant.scope),
    ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
    iat: now,
    exp: now + request.lifetimeSeconds,
    ...(change !== undefined && "claims" in change ? change.claims : {}),
  };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  const idToken = await new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: keys.current.kid, typ: "JWT" })
    .sign(keys.current.privateKey);
  return change !== undefined && "replace" in change ? change.replace(idToken) : idToken;
}
