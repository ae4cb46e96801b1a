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

export interface IdTokenRequest {
  issuer: string;
  grant: Grant;
  lifetimeSeconds: number;
  /** Only for the code exchange: a refreshed id_token carries none (OIDC Core §12.2). */
  nonce?: string;
}

/** RS256 id_tokens signed with the application's current Access key, `kid` in the header. */
export async function mintIdToken(keys: SigningKeys, request: IdTokenRequest): Promise<string> {
  const { grant } = request;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    ...userClaims(grant.user, grant.scope),
    ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
  })
    .setProtectedHeader({ alg: "RS256", kid: keys.current.kid, typ: "JWT" })
    .setIssuer(request.issuer)
    .setAudience(grant.clientId)
    .setSubject(grant.user.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + request.lifetimeSeconds)
    .sign(keys.current.privateKey);
}
