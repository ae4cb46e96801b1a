// Where the remote bindings go, and with which Access credentials. Credentials come from the
// environment only, as everywhere in access-bridge, and reach the proxy client's secrets only
// (see proxy-client-worker.ts); nothing here prints them. A proxy server in OAuth mode also gets
// the sign-in `access-bridge login --remote` stored for it, through a loopback token broker.
import {
  credentialsForUrl,
  describeCredentials,
  PROXY_SERVER_URL_HINT,
  proxyServerUrl,
  resolveAccessCredentials,
  startTokenBroker,
  type CarriedBinding,
  type TokenBroker,
} from "@access-bridge/remote-bindings";
import { AccessBridgeViteError } from "./errors.js";

export interface Remote {
  url: URL;
  /** One line for the dev server's log: where the bindings go and with what. */
  description: string;
  warnings: string[];
  release(): Promise<void>;
}

export function parseRemoteUrl(value: string | URL, source: string): URL {
  const url = proxyServerUrl(value);
  if (url === undefined) {
    throw new AccessBridgeViteError(
      "ERR_INVALID_OPTION",
      `${source} must be ${PROXY_SERVER_URL_HINT}; got ${JSON.stringify(String(value))}.`,
    );
  }
  return url;
}

/**
 * The broker's address and key reach the proxy client as variables named like its vars, which
 * wrangler reads from this process's environment for that Worker alone (as the embedded remote's
 * credentials do). Removed when the dev server closes. Until then a child process the dev server
 * starts inherits them; the key is only good for this run's broker, on loopback, which hands out
 * the token that same developer signed in for.
 */
function lendBroker(broker: TokenBroker): () => void {
  Object.assign(process.env, broker.bindings);
  return () => {
    for (const [name, value] of Object.entries(broker.bindings)) {
      if (process.env[name] === value) delete process.env[name];
    }
  };
}

/**
 * A deployed proxy server: the proxy client's .env references pick the credentials up, and the
 * sign-in stored by `access-bridge login --remote` for it, if any, is served by a token broker.
 */
export async function deployedRemote(
  url: URL,
  env: Record<string, string | undefined>,
): Promise<Remote> {
  const warnings: string[] = [];
  const credentials = credentialsForUrl(
    resolveAccessCredentials(env, { onWarning: (message) => warnings.push(message) }),
    url,
  );
  // The stored logins are the CLI's (login, whoami, logout); it lends this one reader.
  const { storedLoginBearer } = await import("access-bridge/stored-login-bearer");
  const bearer = await storedLoginBearer(url, { ...process.env, ...env }, (message) =>
    warnings.push(message),
  );
  if (bearer === undefined) {
    return {
      url,
      description: `go to ${url.origin}, with ${describeCredentials(credentials)}.`,
      warnings,
      release: async () => {},
    };
  }
  const broker = await startTokenBroker(bearer.source);
  const returnBroker = lendBroker(broker);
  return {
    url,
    description: `go to ${url.origin}, with ${describeCredentials(credentials, { signedIn: true })}.`,
    warnings,
    release: async () => {
      returnBroker();
      await broker.close();
    },
  };
}

/** The embedded remote, with the service token minted for it (see embedded-remote.ts). */
export async function embeddedRemote(
  carried: CarriedBinding[],
  configDir: string,
): Promise<Remote> {
  // Loaded only here: it starts a Miniflare, which a deployed remote does not need.
  const { leaseEmbeddedRemote } = await import("./embedded-remote.js");
  const { remote, release } = await leaseEmbeddedRemote(carried, configDir);
  return {
    url: remote.url,
    description:
      "go to an embedded remote on loopback behind an emulated Cloudflare Access. For your deployment, set ACCESS_BRIDGE_REMOTE_URL=https://<your-proxy>.workers.dev",
    warnings: [],
    release,
  };
}
