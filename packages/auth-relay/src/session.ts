import { AuthRelayError } from "./errors.js";
import { revokeToken } from "./revoke.js";
import { refreshTokenSet } from "./token-endpoint.js";
import { TokenStore, type StoredLogin } from "./token-store.js";

/** Refresh this long before the server's expiry, so a token is not spent in flight. */
const EXPIRY_SKEW_MS = 60_000;

export interface SessionOptions {
  issuer: string;
  store?: TokenStore;
  signal?: AbortSignal;
}

/**
 * A usable access token for `issuer`: the stored one, or a refreshed one (RFC 6749 §6) when it
 * expires within a minute. The rotated refresh token replaces the stored one.
 */
export async function getAccessToken(options: SessionOptions): Promise<string> {
  const store = options.store ?? new TokenStore();
  const stored = await store.read(options.issuer);
  if (!stored) throw notLoggedIn(options.issuer);
  if (stored.expiresAt === undefined || stored.expiresAt - EXPIRY_SKEW_MS > Date.now()) {
    return stored.accessToken;
  }
  if (!stored.refreshToken) {
    throw new AuthRelayError("ERR_LOGIN_EXPIRED", {
      what: `The stored access token for ${options.issuer} has expired.`,
      why: "The server issued no refresh token, so it cannot be renewed without you.",
      fix: `Run \`access-bridge login --issuer ${options.issuer}\` again.`,
    });
  }
  const tokens = await refreshTokenSet(
    stored.tokenEndpoint,
    { clientId: stored.clientId, refreshToken: stored.refreshToken },
    options.signal,
  );
  await store.write({ ...stored, ...tokens, obtainedAt: Date.now() });
  return tokens.accessToken;
}

export interface WhoAmI {
  issuer: string;
  clientId: string;
  scope?: string;
  expiresAt?: number;
  expired: boolean;
  refreshable: boolean;
  file: string;
}

/** What `access-bridge whoami` shows: every stored login, without a single token. */
export async function whoami(options: { store?: TokenStore } = {}): Promise<WhoAmI[]> {
  const store = options.store ?? new TokenStore();
  return (await store.list()).map((login) => describe(store, login));
}

function describe(store: TokenStore, login: StoredLogin): WhoAmI {
  return {
    issuer: login.issuer,
    clientId: login.clientId,
    ...(login.scope ? { scope: login.scope } : {}),
    ...(login.expiresAt ? { expiresAt: login.expiresAt } : {}),
    expired: login.expiresAt !== undefined && login.expiresAt <= Date.now(),
    refreshable: login.refreshToken !== undefined,
    file: store.fileFor(login.issuer),
  };
}

export interface LogoutResult {
  /** The issuer as it was stored (it may differ from the one asked for by a trailing slash). */
  issuer: string;
  /** True when the server confirmed revocation (RFC 7009); false when it could not be asked. */
  revoked: boolean;
  /** Whether a file was deleted. */
  removed: boolean;
  /** The deleted file held no usable login (corrupt, or readable by others): nothing was revoked. */
  unusable: boolean;
}

/**
 * Revokes the refresh token (which also ends its access tokens, RFC 7009 §2.1), then the access
 * token, then deletes the file. `https://as.example` and `https://as.example/` name one issuer.
 * An unusable file for the issuer is deleted without revocation (nothing in it can be trusted).
 */
export async function logout(options: SessionOptions): Promise<LogoutResult> {
  const store = options.store ?? new TokenStore();
  const bare = options.issuer.replace(/\/$/, "");
  for (const issuer of [options.issuer, bare, `${bare}/`]) {
    const stored = await store.read(issuer);
    if (stored) return revokeAndRemove(store, stored, options.signal);
    if (await store.remove(issuer))
      return { issuer, revoked: false, removed: true, unusable: true };
  }
  return { issuer: options.issuer, revoked: false, removed: false, unusable: false };
}

async function revokeAndRemove(
  store: TokenStore,
  stored: StoredLogin,
  signal: AbortSignal | undefined,
): Promise<LogoutResult> {
  let revoked = false;
  if (stored.revocationEndpoint) {
    const endpoint = stored.revocationEndpoint;
    const refresh = stored.refreshToken
      ? await revokeToken(
          endpoint,
          { clientId: stored.clientId, token: stored.refreshToken, hint: "refresh_token" },
          signal,
        )
      : true;
    const access = await revokeToken(
      endpoint,
      { clientId: stored.clientId, token: stored.accessToken, hint: "access_token" },
      signal,
    );
    revoked = refresh && access;
  }
  const removed = await store.remove(stored.issuer);
  return { issuer: stored.issuer, revoked, removed, unusable: false };
}

function notLoggedIn(issuer: string): AuthRelayError {
  return new AuthRelayError("ERR_NOT_LOGGED_IN", {
    what: `There is no usable stored login for ${issuer}.`,
    why: "`access-bridge login` was not run for this issuer, `logout` removed it, or its file is unusable (a warning said so).",
    fix: `Run \`access-bridge login --issuer ${issuer}\`.`,
  });
}
