// A remote on loopback for when no real one is given: the proxy server behind the Access
// emulator, with local stand-ins for the real bindings and a fresh service token. Every byte
// of the authenticated path is the real one; only Cloudflare is missing. It is a Miniflare of
// this process, not of wrangler's: it lives exactly as long as the command.
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  startAccessEmulator,
  type AccessEmulator,
  type AccessOrigin,
  type ApplicationType,
} from "@access-bridge/access-emulator";
import {
  proxyServerWorker,
  WORKERS_COMPATIBILITY_DATE,
  type AccessCredentials,
  type CarriedBinding,
} from "@access-bridge/remote-bindings";
import type { V4WorkerOptions as WorkerOptions } from "miniflare";
import { CliError } from "../cli-error.js";
import { bundleStandIn } from "./bundle-stand-in.js";
import {
  applyD1Migrations,
  d1MigrationsPlan,
  type AppliedMigrations,
  type MigratableDatabase,
} from "./d1-migrations.js";
import { withoutSignalListeners } from "./signal-listeners.js";
import { readStandInServices, STAND_INS_FILE } from "./stand-ins-file.js";

export interface EmbeddedRemote {
  url: URL;
  /** A service token minted for this run; it dies with the remote. */
  credentials: AccessCredentials;
  access: AccessEmulator;
  /** Where the stand-ins' KV, R2 and D1 state is kept; undefined when it is in memory. */
  stateDir: string | undefined;
  /** Per D1 stand-in: the migrations applied at this start. */
  migrations: AppliedMigrations[];
  dispose(): Promise<void>;
}

/**
 * Beside the wrangler config, under wrangler's own folder: the stand-ins' state lives as long as
 * the project's local state does, and `.wrangler` is already ignored by git in Cloudflare's
 * templates.
 */
export const EMBEDDED_REMOTE_STATE_DIR = path.join(".wrangler", "access-bridge", "embedded-remote");

/** `kept`: across starts (default); `fresh`: emptied first, then kept; `in-memory`: never written. */
export type EmbeddedRemoteState = "kept" | "fresh" | "in-memory";

// From src/embedded-remote and from dist/embedded-remote alike (see npm run build).
const UNAVAILABLE_BUNDLE = fileURLToPath(
  new URL("../../dist/workers/unavailable-stand-in.worker.js", import.meta.url),
);
const UNAVAILABLE_WORKER = "access-bridge-unavailable-stand-in";
// The deployed proxy server plus stand-ins for dispatch namespaces (see the worker).
const EMBEDDED_PROXY_SERVER_BUNDLE = fileURLToPath(
  new URL("../../dist/workers/embedded-proxy-server.worker.js", import.meta.url),
);

function unavailable(message: string) {
  return { name: UNAVAILABLE_WORKER, props: { message } };
}

const NO_STAND_IN =
  "Point access-bridge dev at your deployed proxy server with --remote-url to reach the real one.";

interface StandIns {
  proxyServer: Partial<WorkerOptions>;
  workers: WorkerOptions[];
}

async function standIns(carried: CarriedBinding[], configDir: string): Promise<StandIns> {
  const services = readStandInServices(configDir);
  const kvNamespaces: string[] = [];
  const r2Buckets: string[] = [];
  const d1Databases: string[] = [];
  const queueProducers: Record<string, { queueName: string }> = {};
  const serviceBindings: Record<string, unknown> = {};
  const unavailableNamespaces: Record<string, string> = {};
  const workers: WorkerOptions[] = [];
  const bundled = new Set<string>();
  for (const binding of carried) {
    switch (binding.type) {
      case "kv":
        kvNamespaces.push(binding.name);
        break;
      case "r2":
        r2Buckets.push(binding.name);
        break;
      case "d1":
        d1Databases.push(binding.name);
        break;
      case "queue":
        queueProducers[binding.name] = { queueName: binding.name };
        break;
      case "service": {
        const service = String(binding.declaration.service ?? binding.name);
        const entry = services[service];
        if (entry === undefined) {
          serviceBindings[binding.name] = unavailable(
            `The embedded remote has no stand-in for the service "${service}" (binding ${binding.name}). Add it under embeddedRemote.services in ${STAND_INS_FILE} beside your wrangler config, or: ${NO_STAND_IN}`,
          );
          break;
        }
        serviceBindings[binding.name] = service;
        if (bundled.has(service)) break;
        bundled.add(service);
        workers.push({
          name: service,
          modules: [
            {
              type: "ESModule",
              path: entry.replace(/\.[cm]?tsx?$/, ".js"),
              contents: await bundleStandIn(entry),
            },
          ],
          // Module names are relative to this root; workerd refuses names that climb out with "..".
          modulesRoot: path.dirname(entry),
          compatibilityDate: WORKERS_COMPATIBILITY_DATE,
          compatibilityFlags: ["nodejs_compat"],
        } as WorkerOptions);
        break;
      }
      case "dispatch-namespace":
        unavailableNamespaces[binding.name] =
          `The embedded remote has no stand-in for the ${binding.section} binding ${binding.name}: only Cloudflare has it. ${NO_STAND_IN}`;
        break;
      default:
        serviceBindings[binding.name] = unavailable(
          `The embedded remote has no stand-in for the ${binding.section} binding ${binding.name}: only Cloudflare has it. ${NO_STAND_IN}`,
        );
    }
  }
  workers.push({
    name: UNAVAILABLE_WORKER,
    modules: true,
    scriptPath: UNAVAILABLE_BUNDLE,
    modulesRoot: path.dirname(UNAVAILABLE_BUNDLE),
    compatibilityDate: WORKERS_COMPATIBILITY_DATE,
  } as WorkerOptions);
  return {
    proxyServer: {
      kvNamespaces,
      r2Buckets,
      d1Databases,
      queueProducers,
      serviceBindings,
      bindings: { UNAVAILABLE_NAMESPACES: JSON.stringify(unavailableNamespaces) },
    },
    workers,
  } as StandIns;
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
}): Promise<EmbeddedRemote> {
  const unique = [...new Map(options.carried.map((binding) => [binding.name, binding])).values()];
  const { proxyServer, workers } = await standIns(unique, options.configDir);
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
      }),
    );
  } catch (error) {
    throw new CliError(
      "ERR_START",
      `The embedded remote did not start: ${error instanceof Error ? error.message : String(error)}. If a stand-in in ${STAND_INS_FILE} is named above, fix it; otherwise use --remote-url.`,
      1,
      { cause: error },
    );
  }
  let migrations: AppliedMigrations[];
  try {
    migrations = await migrateD1StandIns(access, server.name!, unique, options.configDir);
  } catch (error) {
    await access.dispose();
    throw new CliError("ERR_START", error instanceof Error ? error.message : String(error), 1, {
      cause: error,
    });
  }
  return {
    url: new URL(access.url),
    credentials: access.createServiceToken(),
    access,
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
