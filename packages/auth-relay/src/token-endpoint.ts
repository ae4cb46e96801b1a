import type { AuthorizationServerMetadata } from "./discovery.js";
import { AuthRelayError } from "./errors.js";
import { refusal, requestJson, type OAuthHttpResult } from "./oauth-http.js";

/** RFC 6749 §5.1, as kept after a successful token response. */
export interface TokenSet {
  accessToken: string;
  tokenType: string;
  refreshToken?: string;
  scope?: string;
  /** Epoch milliseconds; absent when the server did not say (RFC 6749 §5.1 `expires_in`). */
  expiresAt?: number;
}

/** RFC 6749 §4.1.3 with RFC 7636 §4.5: the verifier goes only here, over the back channel. */
export async function exchangeAuthorizationCode(
  metadata: AuthorizationServerMetadata,
  params: { clientId: string; code: string; redirectUri: string; codeVerifier: string },
  signal?: AbortSignal,
): Promise<TokenSet> {
  const result = await requestJson(
    metadata.token_endpoint,
    {
      method: "POST",
      form: {
        grant_type: "authorization_code",
        code: params.code,
        redirect_uri: params.redirectUri,
        client_id: params.clientId,
        code_verifier: params.codeVerifier,
      },
    },
    "the authorization code exchange",
    signal,
  );
  if (result.status !== 200) {
    throw refusal(
      result,
      "ERR_TOKEN_REQUEST_FAILED",
      "the authorization code exchange",
      "Run the login again.",
    );
  }
  return parseTokenResponse(result, undefined);
}

/** RFC 6749 §6. A rotated refresh token replaces ours; otherwise ours stays valid. */
export async function refreshTokenSet(
  tokenEndpoint: string,
  params: { clientId: string; refreshToken: string },
  signal?: AbortSignal,
): Promise<TokenSet> {
  const result = await requestJson(
    tokenEndpoint,
    {
      method: "POST",
      form: {
        grant_type: "refresh_token",
        refresh_token: params.refreshToken,
        client_id: params.clientId,
      },
    },
    "the token refresh",
    signal,
  );
  if (result.status !== 200) {
    throw refusal(
      result,
      "ERR_REFRESH_FAILED",
      "the token refresh",
      "Run `access-bridge login` again.",
    );
  }
  return parseTokenResponse(result, params.refreshToken);
}

export function parseTokenResponse(
  result: OAuthHttpResult,
  previousRefreshToken: string | undefined,
): TokenSet {
  const body = result.body;
  if (typeof body.access_token !== "string" || typeof body.token_type !== "string") {
    throw new AuthRelayError("ERR_INVALID_RESPONSE", {
      what: "The token response lacks access_token or token_type.",
      why: "RFC 6749 §5.1 requires both.",
      fix: "The authorization server is not following RFC 6749; contact its operator.",
    });
  }
  const tokens: TokenSet = { accessToken: body.access_token, tokenType: body.token_type };
  const refreshToken =
    typeof body.refresh_token === "string" ? body.refresh_token : previousRefreshToken;
  if (refreshToken !== undefined) tokens.refreshToken = refreshToken;
  if (typeof body.scope === "string") tokens.scope = body.scope;
  if (typeof body.expires_in === "number" && body.expires_in >= 0) {
    tokens.expiresAt = Date.now() + body.expires_in * 1000;
  }
  return tokens;
}
