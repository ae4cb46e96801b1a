import {
  OAuthAuthorizationServer,
  OAuthError,
  OAuthResourceServer,
  type OAuthResourceContext,
} from "@cloudflare/workers-oauth-provider";
import { isAllowed } from "./allow-list.js";
import { isIssuedToken } from "./input-bounds.js";
import type { GrantProps, OAuthModeEnv } from "./oauth-env.js";
import { OAUTH_PATHS } from "./oauth-paths.js";
import { readSettings, type OAuthSettings } from "./oauth-settings.js";

export interface OAuthServers {
  authorization: OAuthAuthorizationServer<OAuthModeEnv>;
  resource: OAuthResourceServer<OAuthModeEnv, GrantProps>;
}

export type BindingHandler = (
  request: Request,
  env: OAuthModeEnv,
  ctx: OAuthResourceContext<GrantProps>,
) => Promise<Response>;

const servers = new Map<string, OAuthServers>();

/**
 * One authorization server and one protected resource per origin, both this Worker: the issuer
 * and the resource are the origin the proxy is reached on (its workers.dev host), so a token
 * from one deployment is refused by another. Built on first use, since the origin is known only
 * from a request.
 */
export function oauthServersFor(
  origin: string,
  settings: OAuthSettings,
  handleBinding: BindingHandler,
): OAuthServers {
  const key = `${origin} ${settings.accessTokenTtl} ${settings.refreshTokenTtl}`;
  let found = servers.get(key);
  if (found !== undefined) return found;
  const authorization = new OAuthAuthorizationServer<OAuthModeEnv>({
    issuer: origin,
    resources: [origin],
    authorizeEndpoint: `${origin}${OAUTH_PATHS.AUTHORIZE}`,
    tokenEndpoint: `${origin}${OAUTH_PATHS.TOKEN}`,
    clientRegistrationEndpoint: `${origin}${OAUTH_PATHS.REGISTER}`,
    clientIdMetadataDocumentEnabled: true,
    accessTokenTTL: settings.accessTokenTtl,
    // Fixed, not sliding: a sign-in lasts this long however often it is refreshed; every
    // refresh rotates the refresh token (the provider's default).
    refreshTokenTTL: settings.refreshTokenTtl,
    tokenExchangeCallback: ({ grantType, props, env }) => {
      // Someone taken off the allow list loses the grant at their next refresh.
      if (
        grantType === "refresh_token" &&
        !isAllowed(readSettings(env).allowList, (props as GrantProps).email)
      ) {
        throw new OAuthError("invalid_grant", {
          description: "This account may no longer use this proxy server.",
        });
      }
    },
    // The provider's default logs each error; its descriptions can name clients and paths,
    // and this Worker logs nothing at all.
    onError: () => undefined,
  });
  const resource = new OAuthResourceServer<OAuthModeEnv, GrantProps>({
    resourceMetadata: {
      resource: origin,
      authorization_servers: [origin],
      resource_name: "access-bridge proxy server",
    },
    // A token that is not the shape the provider issues is refused (401, invalid_token) before
    // its parts become a KV key, which a long one would overflow.
    validateToken: (env) => (resourceId, token) =>
      isIssuedToken(token)
        ? authorization.validateToken(resourceId, token, env)
        : Promise.resolve(null),
    handler: { fetch: handleBinding },
  });
  found = { authorization, resource };
  servers.set(key, found);
  return found;
}
