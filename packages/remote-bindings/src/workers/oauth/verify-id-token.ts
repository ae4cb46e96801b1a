import { errors, type JWTPayload } from "jose";
import { verifyWithRemoteKeys } from "../shared/remote-key-set.js";
import { sameText } from "./keyed-hash.js";
import type { AccessOidcApp } from "./oauth-settings.js";

/** Small leeway for clock skew on exp / nbf / iat. */
const CLOCK_TOLERANCE_SECONDS = 30;

export type IdTokenCheck =
  | { ok: true; claims: JWTPayload & { email?: unknown } }
  /** jose's error code, `nonce_mismatch`, `azp_mismatch`, or `keys_unavailable` (no JWKS). */
  | { ok: false; reason: string };

/**
 * OIDC Core §3.1.3.7: RS256 only (so `alg: none` and an HS256 token keyed with the public key
 * are refused before any key is used), `iss` exactly the app-scoped issuer, `aud` our client id
 * (and `azp`, required when there are several audiences, our client id whenever present), the
 * nonce we sent, exp/nbf/iat with a small leeway. Never throws: bad base64, bad JSON or an unknown `kid` are a reason, not a 500.
 */
export async function verifyIdToken(
  app: AccessOidcApp,
  idToken: string,
  nonce: string,
): Promise<IdTokenCheck> {
  let claims: JWTPayload;
  try {
    // The key set's cache and its refetch after a rotation: remote-key-set.ts.
    ({ payload: claims } = await verifyWithRemoteKeys(app.jwksUri, idToken, {
      algorithms: ["RS256"],
      issuer: app.issuer,
      audience: app.clientId,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ["exp", "iat", "nonce", "sub"],
    }));
  } catch (error) {
    // A JWKS fetch that fails outright surfaces as a TypeError, not as a JOSE verdict.
    return {
      ok: false,
      reason: error instanceof errors.JOSEError ? error.code : "keys_unavailable",
    };
  }
  if (typeof claims.nonce !== "string" || !sameText(claims.nonce, nonce)) {
    return { ok: false, reason: "nonce_mismatch" };
  }
  // §3.1.3.7 items 4 and 5: with several audiences `azp` must be present, and whenever it is
  // present it must name us; an id_token issued to another party is not ours to accept.
  const severalAudiences = Array.isArray(claims.aud) && claims.aud.length > 1;
  if ((severalAudiences || claims.azp !== undefined) && claims.azp !== app.clientId) {
    return { ok: false, reason: "azp_mismatch" };
  }
  return { ok: true, claims };
}
