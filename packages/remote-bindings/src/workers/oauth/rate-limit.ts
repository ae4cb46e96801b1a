import { keyedHash } from "./keyed-hash.js";
import type { OAuthModeEnv } from "./oauth-env.js";
import { plainText } from "./pages.js";

const RETRY_AFTER_SECONDS = "60";

/**
 * One budget per client IP across the endpoints a person or a script can hammer (authorize,
 * callback, token, registration), from the OAUTH_RATE_LIMITER binding's `simple` limit. The
 * key is a keyed hash, so the limiter never holds an address. A refusal is 429 with
 * Retry-After; the token endpoint's is in RFC 6749 §5.2 form so OAuth clients can read it.
 */
export async function rateLimited(
  request: Request,
  env: OAuthModeEnv,
  userIdKey: string,
  oauthJson: boolean,
): Promise<Response | undefined> {
  const address = request.headers.get("CF-Connecting-IP") ?? "unknown";
  const { success } = await env.OAUTH_RATE_LIMITER.limit({
    key: await keyedHash(userIdKey, "ip", address),
  });
  if (success) return undefined;
  const headers = { "Retry-After": RETRY_AFTER_SECONDS };
  if (oauthJson) {
    return Response.json(
      {
        error: "temporarily_unavailable",
        error_description: `Too many requests from this address; retry in ${RETRY_AFTER_SECONDS} seconds.`,
      },
      { status: 429, headers: { ...headers, "Cache-Control": "no-store" } },
    );
  }
  return plainText(
    429,
    `Too many requests from this address; retry in ${RETRY_AFTER_SECONDS} seconds.`,
    headers,
  );
}
