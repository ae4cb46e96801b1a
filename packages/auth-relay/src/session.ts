import { AuthRelayError } from "./errors.js";
import { remoteId } from "@access-bridge/conventions";
import { parseRemote } from "./remote-discovery.js";
import { revokeToken } from "./revoke.js";
import { refreshTokenSet } from "./token-endpoint.js";
import { loginKey, TokenStore, type StoredLogin } from "./token-store.js";

/** Refresh this long before the server's expiry, so a token is not spent in flight. */
const EXPIRY_SKEW_MS = 60_000;

export interface SessionOptions {
  /** The issuer of a `login --issuer`. Give this or `remote`. */
  issuer?: string;
  /** The proxy server of a `login --remote` (OAuth mode). */
  remote?: string;
  store?: TokenStore;
  signal?: AbortSignal;
  /**
   * An access token the server refused (it may have been revoked before it expired): if it is
   * the stored one, it is renewed now instead of handed out again.
   */
  refused?: string;
}

interface Target {
  key: string;
  /** How messages name it. */
  label: string;
  /** The command that replaces a lost login. */
  relogin: string;
}

function targetOf(options: Pick<SessionOptions, "issuer" | "remote">): Target {
  if ((options.issuer === undefined) === (options.remote === undefined)) {
    throw new AuthRelayError("ERR_INVALID_OPTION", {
      what: "Name exactly one of issuer and remote.",
      why: "A stored login belongs to an OAuth issuer (login --issuer) or to a remote (login --remote).",
      fix: "Pass { issuer } or { remote }.",
    });
  }
  if (options.remote !== undefined) {
    const remote = remoteId(parseRemote(options.remote));
    return {
      key: loginKey({ remote }),
      label: remote,
      relogin: `access-bridge login --remote ${remote}`,
    };
  }
  const issuer = options.issuer as string;
  return { key: issuer, label: issuer, relogin: `access-bridge login --issuer ${issuer}` };
}

/**
 * A usable access token for `issuer` or `remote`: the stored one, or a refreshed one (RFC 6749
 * §6) when it expires within a minute. The rotated refresh token replaces the stored one. The
 * file is read on every call, so a refresh made by another process is picked up.
 */
export async function getAccessToken(options: SessionOptions): Promise<string> {
  const target = targetOf(options);
  const store = options.store ?? new TokenStore();
  const stored = await store.read(target.key);
  if (!stored) throw notLoggedIn(target);
  const wasRefused = options.refused !== undefined && options.refused === stored.accessToken;
  const fresh = stored.expiresAt === undefined || stored.expiresAt - EXPIRY_SKEW_MS > Date.now();
  if (fresh && !wasRefused) return stored.accessToken;
  if (!stored.refreshToken) {
    throw new AuthRelayError("ERR_LOGIN_EXPIRED", {
      what: wasRefused
        ? `The server refused the stored access token for ${target.label}.`
        : `The stored access token for ${target.label} has expired.`,
      why: "The server issued no refresh token, so it cannot be renewed without you.",
      fix: `Run \`${target.relogin}\` again.`,
    });
  }
  let tokens;
  try {
    tokens = await refreshTokenSet(
      stored.tokenEndpoint,
      { clientId: stored.clientId, refreshToken: stored.refreshToken },
      options.signal,
    );
  } catch (error) {
    if (!(error instanceof AuthRelayError) || error.code !== "ERR_REFRESH_FAILED") throw error;
    const revoked = error.oauthError === "invalid_grant";
    throw new AuthRelayError(
      "ERR_REFRESH_FAILED",
      {
        what: `The login for ${target.label} expired and could not be renewed.`,
        why: revoked
          ? "The server no longer accepts its refresh token (invalid_grant): the sign-in ran out, was revoked, or the account is no longer allowed."
          : error.detail,
        fix: `Run \`${target.relogin}\`.`,
      },
      { cause: error, ...(error.oauthError ? { oauthError: error.oauthError } : {}) },
    );
  }
  await store.write({ ...stored, ...tokens, obtainedAt: Date.now() });
  return tokens.accessToken;
}

/** Hands out a valid bearer token for the lifetime of a session (`dev`, a Vite server). */
export interface AccessTokenSource {
  /**
   * A token valid for at least another minute. Concurrent callers share one refresh: refresh
   * tokens rotate, and two refreshes with the same one would race. `refused`: a token the
   * server refused; if it is the stored one, the login is renewed now.
   */
  token(signal?: AbortSignal, refused?: string): Promise<string>;
}

export function accessTokenSource(
  options: Omit<SessionOptions, "signal" | "refused">,
): AccessTokenSource {
  targetOf(options);
  let inFlight: Promise<string> | undefined;
  return {
    token(signal, refused) {
      inFlight ??= getAccessToken({
        ...options,
        ...(signal ? { signal } : {}),
        ...(refused ? { refused } : {}),
      }).finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}

export interface WhoAmI {
  issuer: string;
  /** Set for a `login --remote`. */
  remote?: string;
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
    ...(login.remote ? { remote: login.remote } : {}),
    clientId: login.clientId,
    ...(login.scope ? { scope: login.scope } : {}),
    ...(login.expiresAt ? { expiresAt: login.expiresAt } : {}),
    expired: login.expiresAt !== undefined && login.expiresAt <= Date.now(),
    refreshable: login.refreshToken !== undefined,
    file: store.fileFor(loginKey(login)),
  };
}

export interface LogoutResult {
  /** The issuer as it was stored (it may differ from the one asked for by a trailing slash). */
  issuer: string;
  /** Set for a `login --remote`. */
  remote?: string;
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
  const target = targetOf(options);
  const store = options.store ?? new TokenStore();
  const keys =
    options.remote !== undefined
      ? [target.key]
      : [target.key, target.key.replace(/\/$/, ""), `${target.key.replace(/\/$/, "")}/`];
  for (const key of keys) {
    const stored = await store.read(key);
    if (stored) return revokeAndRemove(store, stored, options.signal);
    if (await store.remove(key)) {
      return {
        issuer: options.remote === undefined ? key : "",
        ...(options.remote === undefined ? {} : { remote: target.label }),
        revoked: false,
        removed: true,
        unusable: true,
      };
    }
  }
  return {
    issuer: options.issuer ?? "",
    ...(options.remote === undefined ? {} : { remote: target.label }),
    revoked: false,
    removed: false,
    unusable: false,
  };
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
  const removed = await store.remove(loginKey(stored));
  return {
    issuer: stored.issuer,
    ...(stored.remote ? { remote: stored.remote } : {}),
    revoked,
    removed,
    unusable: false,
  };
}

function notLoggedIn(target: Target): AuthRelayError {
  return new AuthRelayError("ERR_NOT_LOGGED_IN", {
    what: `There is no usable stored login for ${target.label}.`,
    why: "It was never logged in to, `logout` removed it, or its file is unusable (a warning said so).",
    fix: `Run \`${target.relogin}\`.`,
  });
}
