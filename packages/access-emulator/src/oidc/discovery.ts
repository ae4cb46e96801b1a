import type { OidcContext } from "./oidc-context.js";

/**
 * The discovery document (OpenID Connect Discovery 1.0 §3). Its endpoints are where the
 * emulator serves them; with the "team-domain" issuer they are not under `issuer`, which real
 * Access's are, because the team domain does not resolve to this machine.
 */
export function discoveryDocument(context: OidcContext): Record<string, unknown> {
  const { app } = context;
  const base = context.localBase();
  return {
    issuer: context.issuer(),
    authorization_endpoint: `${base}/authorization`,
    token_endpoint: `${base}/token`,
    userinfo_endpoint: `${base}/userinfo`,
    jwks_uri: `${base}/jwks`,
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: [
      "authorization_code",
      ...(app.refreshTokenSeconds === null ? [] : ["refresh_token"]),
    ],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    scopes_supported: app.scopes,
    claims_supported: ["iss", "sub", "aud", "exp", "iat", "nonce", "email", "groups"],
    token_endpoint_auth_methods_supported: [
      "client_secret_basic",
      "client_secret_post",
      ...(app.allowPkceWithoutClientSecret ? ["none"] : []),
    ],
    code_challenge_methods_supported: ["S256"],
  };
}
