// Where the remote bindings go, and with which Access credentials: as @access-bridge/dev-session
// decides for every tool (the environment, else the token `access-bridge login --access`
// stored for the remote's host), reaching the proxy client's secrets only (see
// proxy-client-worker.ts); nothing here prints them. A proxy server in OAuth mode also gets the
// sign-in `access-bridge login --remote` stored for it, through a loopback token broker.
import {
  credentialVariables,
  DevSessionError,
  resolveRemoteUrl,
  resolveSessionCredentials,
  startSignInBroker,
} from "@access-bridge/dev-session";
import {
  describeCredentials,
  type AccessCredentialSource,
  type CarriedBinding,
} from "@access-bridge/remote-bindings";
import { AccessBridgeViteError } from "./errors.js";
import { lendVariables } from "./lend-variables.js";

export interface Remote {
  url: URL;
  /** Where the Access credential came from (or was looked for), for the proxy client's advice. */
  credentialSource: AccessCredentialSource;
  /** One line for the dev server's log: where the bindings go and with what. */
  description: string;
  warnings: string[];
  release(): Promise<void>;
}

/** The remote URL option, else ACCESS_BRIDGE_REMOTE_URL; undefined for the embedded remote. */
export function remoteUrlOf(
  option: string | URL | undefined,
  env: Record<string, string | undefined>,
): URL | undefined {
  try {
    return resolveRemoteUrl({ value: option, source: "accessBridge(…, { remoteUrl })" }, env);
  } catch (error) {
    if (error instanceof DevSessionError && error.code === "ERR_REMOTE_URL") {
      throw new AccessBridgeViteError("ERR_INVALID_OPTION", error.detail, { cause: error });
    }
    throw error;
  }
}

/**
 * A deployed proxy server. A credential from the environment reaches the proxy client through its
 * .env references; one stored by `login --access` is lent as a variable (lend-variables.ts),
 * as is the address of the token broker that serves a stored `login --remote` sign-in.
 */
export async function deployedRemote(
  url: URL,
  env: Record<string, string | undefined>,
): Promise<Remote> {
  const warnings: string[] = [];
  const { credentials, source, bearer } = await resolveSessionCredentials(
    url,
    { ...process.env, ...env },
    (message) => warnings.push(message),
  );
  const broker = await startSignInBroker(bearer);
  const returnVariables = lendVariables({
    ...(source === "login --access" ? credentialVariables(credentials) : {}),
    ...broker?.bindings,
  });
  const what = describeCredentials(credentials, { signedIn: broker !== undefined });
  return {
    url,
    credentialSource: source,
    description: `go to ${url.origin}, with ${what}.`,
    warnings,
    release: async () => {
      returnVariables();
      await broker?.close();
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
    credentialSource: "embedded",
    description:
      "go to an embedded remote on loopback behind an emulated Cloudflare Access. For your deployment, set ACCESS_BRIDGE_REMOTE_URL=https://<your-proxy>.workers.dev",
    warnings: [],
    release,
  };
}
