// With no remote URL, the remote bindings go to the embedded remote of `access-bridge dev`: the
// real proxy server behind the Access emulator, with local stand-ins, in a Miniflare of this
// process. One is shared by the dev servers of one project that need the same bindings, so it
// outlives a server restart (Vite creates the new server before it closes the old one): its
// stand-ins keep their data and the proxy client's sessions stay valid.
import {
  credentialVariables,
  startEmbeddedRemote,
  type EmbeddedRemote,
} from "@access-bridge/dev-session";
import { CREDENTIAL_SOURCES, type CarriedBinding } from "@access-bridge/remote-bindings";
import { errorDetail } from "@access-bridge/conventions";
import { AccessBridgeViteError } from "./errors.js";
import { lendVariables } from "./lend-variables.js";

export type { EmbeddedRemote };

interface Running {
  remote: Promise<EmbeddedRemote>;
  users: number;
}

const running = new Map<string, Running>();

function keyOf(configDir: string, carried: readonly CarriedBinding[]): string {
  const bindings = carried.map((binding) => `${binding.name}:${binding.type}`).sort();
  return JSON.stringify([configDir, bindings]);
}

/**
 * The token minted for the embedded remote reaches wrangler as variables named like the proxy
 * client's credential vars (lend-variables.ts). A user token var lent before is set aside while
 * the remote runs, so that the proxy client sends the embedded remote's token alone.
 */
function lendCredentials(remote: EmbeddedRemote): () => void {
  const token = Object.keys(CREDENTIAL_SOURCES).find(
    (name) => CREDENTIAL_SOURCES[name] === "CLOUDFLARE_ACCESS_TOKEN",
  )!;
  const tokenBefore = process.env[token];
  delete process.env[token];
  const returnVariables = lendVariables(credentialVariables(remote.credentials));
  return () => {
    returnVariables();
    if (tokenBefore !== undefined) process.env[token] = tokenBefore;
  };
}

async function start(carried: CarriedBinding[], configDir: string): Promise<EmbeddedRemote> {
  try {
    const remote = await startEmbeddedRemote({ carried, configDir });
    const returnCredentials = lendCredentials(remote);
    return {
      ...remote,
      dispose: async () => {
        returnCredentials();
        await remote.dispose();
      },
    };
  } catch (error) {
    const message = errorDetail(error);
    throw new AccessBridgeViteError(
      "ERR_EMBEDDED_REMOTE",
      `${message}\nTo use your deployed proxy server instead, set ACCESS_BRIDGE_REMOTE_URL (or accessBridge(cloudflare, …, { remoteUrl })).`,
      { cause: error },
    );
  }
}

export interface EmbeddedRemoteLease {
  remote: EmbeddedRemote;
  /** Stops the remote when no dev server uses it any more; once per lease. */
  release(): Promise<void>;
}

export async function leaseEmbeddedRemote(
  carried: CarriedBinding[],
  configDir: string,
): Promise<EmbeddedRemoteLease> {
  const key = keyOf(configDir, carried);
  let entry = running.get(key);
  if (entry === undefined) {
    const created: Running = { remote: start(carried, configDir), users: 0 };
    running.set(key, created);
    created.remote.catch(() => running.delete(key));
    entry = created;
  }
  entry.users += 1;
  const lease = entry;
  let remote: EmbeddedRemote;
  try {
    remote = await lease.remote;
  } catch (error) {
    lease.users -= 1;
    throw error;
  }
  let released = false;
  return {
    remote,
    async release() {
      if (released) return;
      released = true;
      lease.users -= 1;
      if (lease.users > 0) return;
      running.delete(key);
      await remote.dispose();
    },
  };
}
