import type { OAuthModeEnv } from "./oauth-env.js";
import { parseAllowList, type AllowList } from "./allow-list.js";

export interface AccessOidcApp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
}

export interface OAuthSettings {
  access: AccessOidcApp;
  allowList: AllowList;
  userIdKey: string;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  /** How often the token behind an open session is checked again (session-lifetime.ts). */
  sessionRecheckSeconds: number;
}

/** The one thing a misconfigured deployment answers, naming the setting to fix (no values). */
export class MisconfiguredError extends Error {}

const DEFAULT_ACCESS_TOKEN_TTL = 3600;
const DEFAULT_REFRESH_TOKEN_TTL = 86_400;
/** Half a minute: a revocation reaches an open session well within a minute of KV showing it. */
const DEFAULT_SESSION_RECHECK_SECONDS = 30;

/**
 * Reads and checks the OAuth mode's settings. The Access for SaaS endpoints sit under the
 * app-scoped issuer (`…/authorization`, `…/token`, `…/jwks`), as Access publishes them.
 */
export function readSettings(env: OAuthModeEnv): OAuthSettings {
  const issuer = required(env, "OAUTH_ACCESS_ISSUER").replace(/\/+$/, "");
  const url = URL.canParse(issuer) ? new URL(issuer) : undefined;
  if (!url || (url.protocol !== "https:" && !isLoopback(url)) || url.search || url.hash) {
    throw new MisconfiguredError(
      "OAUTH_ACCESS_ISSUER must be the Access for SaaS app's https issuer, https://<team>.cloudflareaccess.com/cdn-cgi/access/sso/oidc/<client id>.",
    );
  }
  const userIdKey = required(env, "OAUTH_USER_ID_KEY");
  if (userIdKey.length < 32) {
    throw new MisconfiguredError("OAUTH_USER_ID_KEY must be a secret of at least 32 characters.");
  }
  const allowList = parseAllowList(env.OAUTH_ALLOWED_EMAILS, env.OAUTH_ALLOWED_EMAIL_DOMAINS);
  if (allowList.emails.size === 0 && allowList.domains.size === 0) {
    throw new MisconfiguredError(
      "Set OAUTH_ALLOWED_EMAILS or OAUTH_ALLOWED_EMAIL_DOMAINS: with neither, nobody may sign in.",
    );
  }
  return {
    access: {
      issuer,
      clientId: required(env, "OAUTH_ACCESS_CLIENT_ID"),
      clientSecret: required(env, "OAUTH_ACCESS_CLIENT_SECRET"),
      authorizationEndpoint: `${issuer}/authorization`,
      tokenEndpoint: `${issuer}/token`,
      jwksUri: `${issuer}/jwks`,
    },
    allowList,
    userIdKey,
    accessTokenTtl: seconds(env, "OAUTH_ACCESS_TOKEN_TTL", DEFAULT_ACCESS_TOKEN_TTL),
    refreshTokenTtl: seconds(env, "OAUTH_REFRESH_TOKEN_TTL", DEFAULT_REFRESH_TOKEN_TTL),
    sessionRecheckSeconds: recheckSeconds(env),
  };
}

function required(env: OAuthModeEnv, name: keyof OAuthModeEnv): string {
  const value = env[name];
  if (typeof value !== "string" || value.trim() === "") {
    throw new MisconfiguredError(`${name} is not set.`);
  }
  return value.trim();
}

function seconds(env: OAuthModeEnv, name: keyof OAuthModeEnv, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  // workers-oauth-provider's floor: KV cannot expire anything sooner than 60 s.
  if (!Number.isInteger(parsed) || parsed < 60) {
    throw new MisconfiguredError(`${name} must be a whole number of seconds, at least 60.`);
  }
  return parsed;
}

function recheckSeconds(env: OAuthModeEnv): number {
  const value = env.OAUTH_SESSION_RECHECK_SECONDS;
  if (value === undefined || value === "") return DEFAULT_SESSION_RECHECK_SECONDS;
  const parsed = Number(value);
  // Longer than a minute would let a revoked sign-in keep its open sessions for longer.
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 60) {
    throw new MisconfiguredError(
      "OAUTH_SESSION_RECHECK_SECONDS must be a whole number of seconds from 1 to 60.",
    );
  }
  return parsed;
}

function isLoopback(url: URL): boolean {
  return (
    url.protocol === "http:" &&
    (url.hostname === "localhost" ||
      url.hostname === "[::1]" ||
      /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(url.hostname))
  );
}
