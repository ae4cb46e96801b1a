import { requestJson } from "./oauth-http.js";

/**
 * RFC 7009 §2.1. Returns whether the server confirmed; §2.2 says 200 also for tokens it no
 * longer knows, so only a transport failure or an error status means "not revoked".
 */
export async function revokeToken(
  revocationEndpoint: string,
  params: { clientId: string; token: string; hint: "access_token" | "refresh_token" },
  signal?: AbortSignal,
): Promise<boolean> {
  try {
    const result = await requestJson(
      revocationEndpoint,
      {
        method: "POST",
        form: { token: params.token, token_type_hint: params.hint, client_id: params.clientId },
      },
      "token revocation",
      signal,
    );
    return result.status === 200;
  } catch {
    return false;
  }
}
