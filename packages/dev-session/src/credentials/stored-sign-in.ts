// The sign-in `access-bridge login --remote <url>` stored for a proxy server in OAuth mode, as
// the bearer token source of the proxy client (`dev`, the Vite plugin) or of `doctor`'s probes.
// It is not an Access credential and does not compete with them: it answers the proxy server's
// OAuth layer, so it is sent besides whichever Access credential was picked, and only to the
// remote it was stored for.
import {
  loginRemote,
  type BearerToken,
  type BearerTokenSource,
} from "@access-bridge/remote-bindings";

export interface StoredSignIn {
  source: BearerTokenSource;
  /** The remote as the login stored it, for messages. */
  remote: string;
}

/**
 * The stored sign-in for `remoteUrl`, or undefined when there is none. `accessTokenSource` of
 * @access-bridge/auth-relay renews it (and shares one renewal among concurrent callers); this
 * adds the expiry from the stored login, so that the proxy client renews its sessions in time.
 */
export async function storedSignIn(
  remoteUrl: URL,
  env: Record<string, string | undefined>,
  onWarning: (message: string) => void,
): Promise<StoredSignIn | undefined> {
  // The store alone first: `dev` looks here before it starts wrangler, and the package's index
  // brings its login flows (undici, jose: 200 modules, 0.2 s of CPU) that only a stored sign-in
  // needs.
  const { defaultStoreDir, loginKey, TokenStore } =
    await import("@access-bridge/auth-relay/token-store");
  const remote = loginRemote(remoteUrl);
  const store = new TokenStore(defaultStoreDir(env), {
    onUnusable: (message) => onWarning(message),
  });
  const key = loginKey({ remote });
  if ((await store.read(key)) === undefined) return undefined;
  const { accessTokenSource } = await import("@access-bridge/auth-relay");
  const tokens = accessTokenSource({ remote, store });
  return {
    remote,
    source: {
      async token(signal): Promise<string | BearerToken> {
        const token = await tokens.token(signal);
        const stored = await store.read(key);
        return stored?.accessToken === token && stored.expiresAt !== undefined
          ? { token, expiresAt: stored.expiresAt }
          : token;
      },
    },
  };
}
