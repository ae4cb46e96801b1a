import type { OAuthAuthorizationServer } from "@cloudflare/workers-oauth-provider";
import type { OAuthModeEnv } from "./oauth-env.js";
import type { OAuthSettings } from "./oauth-settings.js";
import { refuseReusedRefreshToken, retireRefreshToken } from "./refresh-reuse.js";
import { boundTokenRequest, readTokenForm } from "./token-request-bounds.js";

/**
 * `POST /oauth/token`: the provider's token endpoint (code and refresh grants, RFC 7009
 * revocation), with what this layer adds around it: ids and tokens bounded before the provider
 * looks them up, and refresh-token reuse detection.
 */
export async function tokenEndpoint(
  request: Request,
  env: OAuthModeEnv,
  ctx: ExecutionContext,
  authorization: OAuthAuthorizationServer<OAuthModeEnv>,
  settings: OAuthSettings,
): Promise<Response> {
  const form = await readTokenForm(request);
  const bounded = boundTokenRequest(request, form);
  if (bounded instanceof Response) return bounded;
  const reused = await refuseReusedRefreshToken(form, env, authorization);
  if (reused) return reused;
  const response = await authorization.fetch(bounded, env, ctx);
  if (response.status === 200) await retireRefreshToken(form, env, settings.refreshTokenTtl);
  return response;
}
