import type { OAuthHelpers } from "@cloudflare/workers-oauth-provider";

/**
 * What the proxy server needs in OAuth mode. Every name starts with `OAUTH_`: those are this
 * layer's own and never reach the proxy server's binding lookup (see {@link bindingsOnly}).
 */
export interface OAuthModeEnv {
  /** Grants, clients, tokens (hashed) and upstream sign-in state. workers-oauth-provider's name. */
  OAUTH_KV: KVNamespace;
  /** Per-IP limit on the authorize, callback, token and registration endpoints. */
  OAUTH_RATE_LIMITER: RateLimit;
  /** The Access for SaaS app's issuer: `https://<team>.cloudflareaccess.com/cdn-cgi/access/sso/oidc/<client id>`. */
  OAUTH_ACCESS_ISSUER?: string;
  OAUTH_ACCESS_CLIENT_ID?: string;
  /** A secret (`wrangler secret put`). */
  OAUTH_ACCESS_CLIENT_SECRET?: string;
  /** Comma- or space-separated emails that may sign in (case-insensitive). */
  OAUTH_ALLOWED_EMAILS?: string;
  /** Comma- or space-separated email domains that may sign in, such as `example.com`. */
  OAUTH_ALLOWED_EMAIL_DOMAINS?: string;
  /** A secret of 32+ characters: keys the hash that stands for a user in the grant store. */
  OAUTH_USER_ID_KEY?: string;
  /** Access token lifetime in seconds (default 3600). */
  OAUTH_ACCESS_TOKEN_TTL?: string;
  /** Refresh token lifetime in seconds from sign-in (default 86400); refresh tokens rotate. */
  OAUTH_REFRESH_TOKEN_TTL?: string;
  /** Seconds between checks that an open session's sign-in still stands (default 30, at most 60). */
  OAUTH_SESSION_RECHECK_SECONDS?: string;
}

/** What a grant carries, encrypted by workers-oauth-provider: the only place the email lives. */
export interface GrantProps {
  email: string;
}

export type OAuthEnvWithHelpers = OAuthModeEnv & { OAUTH_PROVIDER?: OAuthHelpers };

export const RESERVED_PREFIX = "OAUTH_";

/**
 * The env the proxy server sees: everything but this layer's settings, secrets and KV, so no
 * `MF-Binding: OAUTH_KV` (or a secret's name) can reach them.
 */
export function bindingsOnly<Env extends object>(env: Env): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => !name.startsWith(RESERVED_PREFIX)),
  );
}
