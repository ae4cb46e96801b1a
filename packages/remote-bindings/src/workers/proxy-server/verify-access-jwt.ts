// Defence in depth behind Cloudflare Access: given ACCESS_TEAM_DOMAIN and ACCESS_AUD, the proxy
// server checks the Cf-Access-Jwt-Assertion that Access adds, so a request that reached the
// Worker some other way (Access turned off, a route not covered) is refused.
import { createRemoteJWKSet, errors, jwtVerify } from "jose";
import { ACCESS_HEADERS } from "../../shared/wire-protocol.js";
import type { ProxyServerEnv } from "./resolve-binding.js";

// One key set per certs URL, kept across requests: jose caches the keys it fetched and refetches
// on an unknown `kid`, which is how rotated Access keys are picked up. Access signs with a new
// key as soon as it publishes it, so a token may name a key that jose, cooling down after its
// last fetch, will not look for: such a token waits for the cooldown's end and one shared
// refetch instead of being refused. Refetches, bogus kids included, stay at one a second.
const REFETCH_COOLDOWN_MS = 1_000;

type RemoteKeySet = ReturnType<typeof createRemoteJWKSet>;

interface KeySet {
  keys: RemoteKeySet;
  /** The refetch that tokens naming an unknown key wait for, while one is pending. */
  pendingRefetch?: Promise<void>;
}

const keySets = new Map<string, KeySet>();

function keySet(certsUrl: string): KeySet {
  let set = keySets.get(certsUrl);
  if (set === undefined) {
    set = {
      keys: createRemoteJWKSet(new URL(certsUrl), { cooldownDuration: REFETCH_COOLDOWN_MS }),
    };
    keySets.set(certsUrl, set);
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

async function verifyWith(set: KeySet, token: string, issuer: string, audience: string) {
  // Access always sets exp; a token without one would never expire, so it is refused.
  const options = { algorithms: ["RS256"], issuer, audience, requiredClaims: ["exp"] };
  try {
    await jwtVerify(token, set.keys, options);
  } catch (error) {
    if (!(error instanceof errors.JWKSNoMatchingKey) || !set.keys.coolingDown) throw error;
    await refetchAfterCooldown(set);
    await jwtVerify(token, set.keys, options);
  }
}

function plain(status: number, text: string): Response {
  return new Response(text + "\n", {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

/** A refusal to send back, or undefined when the request may proceed. */
export async function verifyAccessJwt(
  request: Request,
  env: ProxyServerEnv,
): Promise<Response | undefined> {
  const teamDomain = env.ACCESS_TEAM_DOMAIN?.replace(/\/+$/, "");
  const audience = env.ACCESS_AUD;
  if (!teamDomain && !audience) return undefined;
  if (!teamDomain || !audience) {
    return plain(
      500,
      `The proxy server is misconfigured: set both ACCESS_TEAM_DOMAIN and ACCESS_AUD to verify ` +
        `Cloudflare Access tokens, or neither to leave that to Access alone.`,
    );
  }

  const token = request.headers.get(ACCESS_HEADERS.JWT_ASSERTION);
  if (!token) {
    return plain(
      401,
      `This request did not come through Cloudflare Access (no ${ACCESS_HEADERS.JWT_ASSERTION}). ` +
        `Reach the proxy server through its Access-protected hostname.`,
    );
  }
  try {
    await verifyWith(
      keySet(env.ACCESS_CERTS_URL ?? `${teamDomain}/cdn-cgi/access/certs`),
      token,
      teamDomain,
      audience,
    );
    return undefined;
  } catch (error) {
    // Every failure is the token's fault or Access's configuration, never a 500; the reason is
    // jose's code, and the token itself is never echoed.
    const code = error instanceof errors.JOSEError ? error.code : "ERR_JWT_INVALID";
    return plain(
      403,
      `The Cloudflare Access token was refused (${code}). Check that ACCESS_TEAM_DOMAIN and ` +
        `ACCESS_AUD match the Access application in front of this Worker.`,
    );
  }
}
