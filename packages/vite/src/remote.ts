// Where the remote bindings go, and with which Access credentials. Credentials come from the
// environment only, as everywhere in access-bridge, and reach the proxy client's secrets only
// (see proxy-client-worker.ts); nothing here prints them.
import {
  credentialsForUrl,
  describeCredentials,
  resolveAccessCredentials,
  type CarriedBinding,
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
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new AccessBridgeViteError(
      "ERR_INVALID_OPTION",
      `${source} must be the http(s) URL of your deployed proxy server, such as https://bindings-proxy.example.workers.dev; got ${JSON.stringify(String(value))}.`,
    );
  }
  return url;
}

/** A deployed proxy server: the proxy client's .env references pick the credentials up. */
export function deployedRemote(url: URL, env: Record<string, string | undefined>): Remote {
  const warnings: string[] = [];
  const credentials = credentialsForUrl(
    resolveAccessCredentials(env, { onWarning: (message) => warnings.push(message) }),
    url,
  );
  return {
    url,
    description: `go to ${url.origin}, with ${describeCredentials(credentials)}.`,
    warnings,
    release: async () => {},
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
