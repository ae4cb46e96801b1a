// The proxy server in OAuth mode: an OAuth 2.1 authorization server (workers-oauth-provider)
// whose sign-in is federated to Cloudflare Access for SaaS (OIDC), in front of the same proxy
// server. Remote-binding traffic (HTTP, RPC upgrade, connect upgrade) needs
// `Authorization: Bearer <access token>`; once the token is verified, the request goes to the
// proxy server's own handler, unchanged but for the Authorization header. See oauth.wrangler.jsonc.
import type { OAuthResourceContext } from "@cloudflare/workers-oauth-provider";
import { isAllowed } from "./oauth/allow-list.js";
import { authorize } from "./oauth/authorize.js";
import { callback } from "./oauth/callback.js";
import { bindingsOnly, type GrantProps, type OAuthModeEnv } from "./oauth/oauth-env.js";
import { OAUTH_PATHS } from "./oauth/oauth-paths.js";
import { oauthServersFor } from "./oauth/oauth-servers.js";
import { MisconfiguredError, readSettings } from "./oauth/oauth-settings.js";
import { plainText } from "./oauth/pages.js";
import { rateLimited } from "./oauth/rate-limit.js";
import { withSecurityHeaders } from "./oauth/security-headers.js";
import { tokenEndpoint } from "./oauth/token-endpoint.js";
import { boundToTokenLifetime } from "./oauth/session-lifetime.js";
import proxyServer from "./proxy-server.worker.js";

const RATE_LIMITED_PATHS = new Set<string>(Object.values(OAUTH_PATHS));
/** Responses of the proxy server itself: they pass through exactly as it made them. */
const fromProxy = new WeakSet<Response>();

async function handleBinding(
  request: Request,
  env: OAuthModeEnv,
  ctx: OAuthResourceContext<GrantProps>,
): Promise<Response> {
  const settings = readSettings(env);
  // Checked on every call, so taking someone off the allow list ends their access at once.
  if (!isAllowed(settings.allowList, ctx.props?.email)) {
    return plainText(
      403,
      "The account this token belongs to may no longer use this proxy server. Sign in again with an allowed account.",
    );
  }
  // The bearer token is for this layer; the proxy server and the bindings behind it never see it.
  const headers = new Headers(request.headers);
  headers.delete("Authorization");
  const origin = new URL(request.url).origin;
  const { authorization } = oauthServersFor(origin, settings, handleBinding);
  const token = ctx.auth.token;
  const response = boundToTokenLifetime(
    await proxyServer.fetch(
      new Request(request, { headers }),
      bindingsOnly(env) as Parameters<typeof proxyServer.fetch>[1],
      ctx,
    ),
    {
      expiresAt: ctx.auth.expiresAt,
      // The provider deletes every token of a grant it revokes, so the token that opened the
      // session no longer validates once its sign-in is gone (logout, an admin, reuse detection).
      stillAuthorised: async () => (await authorization.validateToken(origin, token, env)) !== null,
      recheckMs: settings.sessionRecheckSeconds * 1000,
    },
    ctx,
  );
  fromProxy.add(response);
  return response;
}

/**
 * The last line of defence: an exception that still escapes becomes a plain 500 with a request
 * id. Neither the answer nor the log carries its message, which can quote what the caller sent
 * (a KV key built from a token, a client id).
 */
function unexpectedFailure(error: unknown, request: Request): Response {
  // Cloudflare's ray id, which its logs know too; anything else gets an id of its own.
  const ray = request.headers.get("Cf-Ray") ?? "";
  const requestId = /^[\w-]{1,64}$/.test(ray) ? ray : crypto.randomUUID();
  const name = error instanceof Error ? error.name : typeof error;
  console.error(`access-bridge OAuth mode: unexpected ${name} (request ${requestId})`);
  return withSecurityHeaders(
    plainText(
      500,
      `The proxy server failed unexpectedly (request ${requestId}). Try again; if it keeps failing, give the request id to whoever runs this proxy server.`,
    ),
  );
}

async function route(
  request: Request,
  env: OAuthModeEnv,
  ctx: ExecutionContext,
): Promise<Response> {
  let settings;
  try {
    settings = readSettings(env);
  } catch (error) {
    if (!(error instanceof MisconfiguredError)) throw error;
    return withSecurityHeaders(
      plainText(
        500,
        `The proxy server's OAuth mode is misconfigured: ${error.message} See oauth.wrangler.jsonc.`,
      ),
    );
  }
  const url = new URL(request.url);
  const path = url.pathname;
  const { authorization, resource } = oauthServersFor(url.origin, settings, handleBinding);

  if (RATE_LIMITED_PATHS.has(path)) {
    const json = path === OAUTH_PATHS.TOKEN || path === OAUTH_PATHS.REGISTER;
    const refused = await rateLimited(request, env, settings.userIdKey, json);
    if (refused) return withSecurityHeaders(refused);
  }
  if (path === OAUTH_PATHS.AUTHORIZE) {
    return withSecurityHeaders(await authorize(request, env, authorization, settings));
  }
  if (path === OAUTH_PATHS.CALLBACK) {
    return withSecurityHeaders(await callback(request, env, authorization, settings));
  }
  if (path === OAUTH_PATHS.TOKEN) {
    return withSecurityHeaders(await tokenEndpoint(request, env, ctx, authorization, settings));
  }
  if (path === OAUTH_PATHS.REGISTER || path.startsWith("/.well-known/oauth-authorization-server")) {
    return withSecurityHeaders(await authorization.fetch(request, env, ctx));
  }
  const response = await resource.fetch(request, env, ctx);
  return fromProxy.has(response) ? response : withSecurityHeaders(response);
}

export default {
  async fetch(request, env, ctx): Promise<Response> {
    try {
      return await route(request, env, ctx);
    } catch (error) {
      return unexpectedFailure(error, request);
    }
  },
} satisfies ExportedHandler<OAuthModeEnv>;
