// The one cache of remote JSON Web Key Sets, for every Worker that verifies a JWT against one:
// the proxy server's check of Access's Cf-Access-Jwt-Assertion, and OAuth mode's check of the
// id_token from Access for SaaS. One key set per URL, kept across requests: jose caches the keys
// it fetched and refetches on an unknown `kid`, which is how rotated keys are picked up. Access
// signs with a new key as soon as it publishes it, so a token may name a key that jose, cooling
// down after its last fetch, will not look for: such a token waits for the cooldown's end and one
// shared refetch instead of being refused. Refetches, bogus kids included, stay at one a second.
import {
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTVerifyOptions,
  type JWTVerifyResult,
} from "jose";

const REFETCH_COOLDOWN_MS = 1_000;
/** A key set URL that does not answer fails the verification instead of holding it. */
const FETCH_TIMEOUT_MS = 5_000;

interface KeySet {
  keys: ReturnType<typeof createRemoteJWKSet>;
  /** The refetch that tokens naming an unknown key wait for, while one is pending. */
  pendingRefetch?: Promise<void>;
}

const keySets = new Map<string, KeySet>();

function keySet(url: string): KeySet {
  let set = keySets.get(url);
  if (set === undefined) {
    set = {
      keys: createRemoteJWKSet(new URL(url), {
        cooldownDuration: REFETCH_COOLDOWN_MS,
        timeoutDuration: FETCH_TIMEOUT_MS,
      }),
    };
    keySets.set(url, set);
  }
  return set;
}

function refetchAfterCooldown(set: KeySet): Promise<void> {
  set.pendingRefetch ??= new Promise<void>((resolve) => setTimeout(resolve, REFETCH_COOLDOWN_MS))
    .then(() => set.keys.reload())
    .finally(() => {
      set.pendingRefetch = undefined;
    });
  return set.pendingRefetch;
}

/**
 * jose's jwtVerify with the key set at `url`. Throws what jose throws (a JOSEError with its code),
 * or a TypeError when the key set cannot be fetched at all.
 */
export async function verifyWithRemoteKeys(
  url: string,
  token: string,
  options: JWTVerifyOptions,
): Promise<JWTVerifyResult> {
  const set = keySet(url);
  try {
    return await jwtVerify(token, set.keys, options);
  } catch (error) {
    if (!(error instanceof errors.JWKSNoMatchingKey) || !set.keys.coolingDown) throw error;
    await refetchAfterCooldown(set);
    return await jwtVerify(token, set.keys, options);
  }
}
