/**
 * The shape of every id and token a caller can send, checked before the value reaches
 * workers-oauth-provider or KV. The provider builds KV keys straight from them
 * (`grant:<userId>:<grantId>`, `client:<client_id>`), and KV refuses a key over 512 bytes by
 * throwing, which would answer 500 to anyone who sends a long id. Values of the right shape are
 * at most ~100 bytes, so every key stays far below the limit.
 */

/**
 * What the provider issues as a code, access token or refresh token:
 * `<userId>:<grantId 16>:<secret 32>`, every part base64url. Our userId is a keyed hash (43
 * characters, callback.ts); up to 128 leaves room without letting a key grow long.
 */
const ISSUED_TOKEN = /^[A-Za-z0-9_-]{1,128}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{32}$/;
/** A client id from registration (16 base64url characters; a little room). */
const REGISTERED_CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
/**
 * A Client ID Metadata Document URL is fetched, not looked up in KV; it is still bounded, since
 * the Worker would otherwise send any URL the caller wrote. Visible ASCII only.
 */
const METADATA_DOCUMENT_ID = /^https:\/\/[\x21-\x7e]{1,1016}$/;
/** The consent handle workers-oauth-provider issues: 32 random bytes, base64url. */
const CONSENT_HANDLE = /^[A-Za-z0-9_-]{1,128}$/;
/** A Basic or client-assertion credential longer than this is not one we could accept. */
export const MAX_CREDENTIAL_LENGTH = 16 * 1024;

export function isIssuedToken(value: unknown): value is string {
  return typeof value === "string" && ISSUED_TOKEN.test(value);
}

export function isPlausibleClientId(value: unknown): value is string {
  return (
    typeof value === "string" &&
    (REGISTERED_CLIENT_ID.test(value) || METADATA_DOCUMENT_ID.test(value))
  );
}

export function isPlausibleConsentHandle(value: unknown): value is string {
  return typeof value === "string" && CONSENT_HANDLE.test(value);
}

/**
 * The client id in an `Authorization: Basic` header (RFC 6749 §2.3.1: form-urlencoded, then
 * base64), `undefined` when there is none or it cannot be read (the provider refuses those).
 */
export function basicClientId(authorization: string | null): string | undefined {
  const encoded = /^Basic[\t ]+(\S+)$/i.exec(authorization ?? "")?.[1];
  if (encoded === undefined) return undefined;
  try {
    const decoded = atob(encoded);
    const colon = decoded.indexOf(":");
    return decodeURIComponent((colon < 0 ? decoded : decoded.slice(0, colon)).replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

/**
 * The `iss` of a client assertion (RFC 7523 §3), which the provider takes as the client id when
 * no `client_id` is sent; `undefined` when it cannot be read.
 */
export function assertionIssuer(assertion: string): string | undefined {
  const payload = assertion.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const iss = (JSON.parse(json) as { iss?: unknown }).iss;
    return typeof iss === "string" ? iss : undefined;
  } catch {
    return undefined;
  }
}
