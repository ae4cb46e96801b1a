// A remote on loopback for when no real one is given: the proxy server behind the Access
// emulator, with local stand-ins for the real bindings and a fresh service token. Every byte
// of the authenticated path is the real one; only Cloudflare is missing. It is a Miniflare of
// this process, not of wrangler's: it lives exactly as long as the command.
import { rmSync } from "node:fs";
import path from "node:path";
import {
  startAccessEmulator,
  type AccessEmulator,
  type AccessOrigin,
  type ApplicationType,
  type ServiceToken,
} from "@access-bridge/access-emulator";
import {
  proxyServerWorker,
  WORKERS_COMPATIBILITY_DATE,
  type AccessCredentials,
  type CarriedBinding,
} from "@access-bridge/remote-bindings";
import type { V4WorkerOptions as WorkerOptions } from "miniflare";
import { errorDetail } from "@access-bridge/conventions";
import { DevSessionError } from "../dev-session-error.js";
import {
  applyD1Migrations,
  d1MigrationsPlan,
  type AppliedMigrations,
  type MigratableDatabase,
} from "./d1-migrations.js";
import { withoutSignalListeners } from "./signal-listeners.js";
import { EMBEDDED_REMOTE_STATE_DIR, type EmbeddedRemoteState } from "./state-dir.js";
import { STAND_INS_FILE } from "./stand-ins-file.js";
import { EMBEDDED_PROXY_SERVER_BUNDLE, standIns, type EmbeddedRemoteBinding } from "./stand-ins.js";

export interface EmbeddedRemote {
  url: URL;
  /** A service token minted for this run; it dies with the remote. */
  credentials: AccessCredentials;
  access: AccessEmulator;
  /** Each carried binding once, and whether it got a stand-in. */
  bindings: EmbeddedRemoteBinding[];
  /** Where the stand-ins' KV, R2 and D1 state is kept; undefined when it is in memory. */
  stateDir: string | undefined;
  /** Per D1 stand-in: the migrations applied at this start. */
  migrations: AppliedMigrations[];
  dispose(): Promise<void>;
}

export async function startEmbeddedRemote(options: {
  /** Every binding the config carries, in any environment. */
  carried: CarriedBinding[];
  configDir: string;
  /** Default service_auth_only. */
  type?: ApplicationType;
  /** On 127.0.0.1; default 0, a free port. */
  port?: number;
  /**
   * A Worker to put in front of the proxy server, as the origin Access protects (and gives
   * `ctx.access`); it reaches the proxy server through its service binding PROXY_SERVER.
   */
  front?: WorkerOptions;
  /** Default `kept`, in EMBEDDED_REMOTE_STATE_DIR beside the config. */
  state?: EmbeddedRemoteState;
  /** The service token to accept (newServiceToken()), when it must be known before the start. */
  serviceToken?: ServiceToken;
}): Promise<EmbeddedRemote> {
  const unique = [...new Map(options.carried.map((binding) => [binding.name, binding])).values()];
  const { proxyServer, workers, bindings } = await standIns(unique, options.configDir);
  const server = {
    ...proxyServerWorker({ compatibilityDate: WORKERS_COMPATIBILITY_DATE, ...proxyServer }),
    scriptPath: EMBEDDED_PROXY_SERVER_BUNDLE,
    modulesRoot: path.dirname(EMBEDDED_PROXY_SERVER_BUNDLE),
  } as WorkerOptions;
  const origin: AccessOrigin =
    options.front === undefined
      ? { worker: server, extraWorkers: workers }
      : {
          worker: {
            ...options.front,
            serviceBindings: { ...options.front.serviceBindings, PROXY_SERVER: server.name! },
          } as WorkerOptions,
          extraWorkers: [server, ...workers],
        };
  const state = options.state ?? "kept";
  const stateDir =
    state === "in-memory" ? undefined : path.join(options.configDir, EMBEDDED_REMOTE_STATE_DIR);
  if (state === "fresh") rmSync(stateDir!, { recursive: true, force: true });
  let access: AccessEmulator;
  try {
    access = await withoutSignalListeners(() =>
      startAccessEmulator({
        origin,
        application: { type: options.type ?? "service_auth_only", teamName: "embedded-remote" },
        port: options.port,
        persistTo: stateDir,
        serviceTokens: options.serviceToken === undefined ? [] : [options.serviceToken],
      }),
    );
  } catch (error) {
    throw new DevSessionError(
      "ERR_START",
      `The embedded remote did not start: ${errorDetail(error)}. If a stand-in in ${STAND_INS_FILE} is named above, fix it; otherwise use --remote-url.`,
      { cause: error },
    );
  }
  let migrations: AppliedMigrations[];
  try {
    migrations = await migrateD1StandIns(access, server.name!, unique, options.configDir);
  } catch (error) {
    await access.dispose();
    throw new DevSessionError("ERR_START", errorDetail(error), { cause: error });
  }
  return {
    url: new URL(access.url),
    credentials: options.serviceToken ?? access.createServiceToken(),
    access,
    bindings,
    stateDir,
    migrations,
    dispose: () => access.dispose(),
  };
}

/** Each D1 stand-in (a D1 binding of the proxy server) gets the migrations of its declaration. */
async function migrateD1StandIns(
  access: AccessEmulator,
  proxyServer: string,
  carried: CarriedBinding[],
  configDir: string,
): Promise<AppliedMigrations[]> {
  const d1 = carried.filter((binding) => binding.type === "d1");
  if (d1.length === 0) return [];
  const bindings = await access.getOriginBindings<Record<string, MigratableDatabase>>(proxyServer);
  const applied: AppliedMigrations[] = [];
  for (const binding of d1) {
    applied.push(
      await applyD1Migrations(bindings[binding.name]!, d1MigrationsPlan(binding, configDir)),
    );
  }
  return applied;
}
