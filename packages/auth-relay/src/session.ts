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
 * has expired. What remote bindings send as `cf-access-token`-style user credentials.
 */
export async function getAccessToken(options: SessionOptions): Promise<string> {
  const store = options.store ?? new TokenStore();
  const stored = await store.read(options.issuer);
  if (!stored) throw notLoggedIn(options.issuer);
  if (stored.expiresAt === undefined || stored.expiresAt - EXPIRY_SKEW_MS > Date.now()) {
    return stored.accessToken;
  }
  if (!stored.refreshToken) {
    throw new AuthRelayError("invalid_grant", {
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
  issuer: string;
  /** True when the server confirmed revocation (RFC 7009); false when it could not be asked. */
  revoked: boolean;
  /** The local file is always deleted. */
  removed: boolean;
}

/** Revokes the refresh token (which also ends its access tokens, RFC 7009 §2.1), then the access token, then deletes the file. */
export async function logout(options: SessionOptions): Promise<LogoutResult> {
  const store = options.store ?? new TokenStore();
  const stored = await store.read(options.issuer);
  if (!stored) return { issuer: options.issuer, revoked: false, removed: false };
  let revoked = false;
  if (stored.revocationEndpoint) {
    const endpoint = stored.revocationEndpoint;
    const refresh = stored.refreshToken
      ? await revokeToken(
          endpoint,
          { clientId: stored.clientId, token: stored.refreshToken, hint: "refresh_token" },
          options.signal,
        )
      : true;
    const access = await revokeToken(
      endpoint,
      { clientId: stored.clientId, token: stored.accessToken, hint: "access_token" },
      options.signal,
    );
    revoked = refresh && access;
  }
  const removed = await store.remove(options.issuer);
  return { issuer: options.issuer, revoked, removed };
}

function notLoggedIn(issuer: string): AuthRelayError {
  return new AuthRelayError("not_logged_in", {
    what: `There is no stored login for ${issuer}.`,
    why: "`access-bridge login` was not run for this issuer, or `logout` removed it.",
    fix: `Run \`access-bridge login --issuer ${issuer}\`.`,
  });
}
