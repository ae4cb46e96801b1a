import { existsSync } from "node:fs";
import path from "node:path";
import { startAccessEmulator, type AccessEmulator } from "@access-bridge/access-emulator";
import { proxyServerWorker, type AccessCredentials } from "@access-bridge/remote-bindings";
import { Response, type V4WorkerOptions as WorkerOptions } from "miniflare";
import { CliError } from "../cli-error.js";
import { readConfigFile } from "../config/read-config-file.js";
import type { BindingConfig, WorkerConfig } from "../config/worker-config.js";
import { bundleWorker } from "./bundle-worker.js";

export const STAND_INS_FILE = "access-bridge.jsonc";

export interface EmbeddedRemote {
  url: URL;
  /** A service token minted for this run; it dies with the remote. */
  credentials: AccessCredentials;
  access: AccessEmulator;
  dispose(): Promise<void>;
}

/** `access-bridge.jsonc` beside the wrangler config: `{ embeddedRemote: { services: { name: path } } }`. */
function standInServices(config: WorkerConfig): Record<string, string> {
  const file = path.join(path.dirname(config.configPath), STAND_INS_FILE);
  if (!existsSync(file)) return {};
  const { data } = readConfigFile(file);
  const services = (data.embeddedRemote as { services?: unknown } | undefined)?.services ?? {};
  if (typeof services !== "object" || services === null || Array.isArray(services)) {
    throw new CliError(
      "ERR_CONFIG_INVALID",
      `${file}: embeddedRemote.services must map service names to entry files.`,
    );
  }
  return Object.fromEntries(
    Object.entries(services).map(([name, entry]) => {
      if (typeof entry !== "string") {
        throw new CliError(
          "ERR_CONFIG_INVALID",
          `${file}: embeddedRemote.services.${name} must be a path to the stand-in's entry file.`,
        );
      }
      return [name, path.resolve(path.dirname(file), entry)];
    }),
  );
}

function unavailable(what: string) {
  return () =>
    new Response(
      `${what} has no stand-in in the embedded remote. Point access-bridge dev at your deployed proxy server with --remote-url to use the real one.`,
      { status: 501 },
    );
}

async function standInWorkers(
  config: WorkerConfig,
  services: (BindingConfig & { type: "service" })[],
): Promise<WorkerOptions[]> {
  const entries = standInServices(config);
  const workers: WorkerOptions[] = [];
  for (const service of new Set(services.map((binding) => binding.service))) {
    const entry = entries[service];
    if (entry === undefined) {
      workers.push({
        name: service,
        modules: true,
        compatibilityDate: config.compatibilityDate,
        script: `export default { fetch() { return new Response(${JSON.stringify(
          `The embedded remote has no stand-in for the service "${service}". Add it under embeddedRemote.services in ${STAND_INS_FILE}, or use --remote-url.`,
        )}, { status: 501 }); } };`,
      });
      continue;
    }
    const bundle = await bundleWorker(entry, config.compatibilityFlags.includes("nodejs_compat"));
    workers.push({
      name: service,
      modules: [
        { type: "ESModule", path: entry.replace(/\.[cm]?tsx?$/, ".js"), contents: bundle.code },
      ],
      // Module names are relative to this root; workerd refuses names that climb out with "..".
      modulesRoot: path.dirname(entry),
      compatibilityDate: config.compatibilityDate,
      compatibilityFlags: config.compatibilityFlags,
    });
  }
  return workers;
}

/**
 * A remote on loopback for when no real one is given: the proxy server behind the Access
 * emulator, with local stand-ins for the real bindings and a fresh service token. Every byte
 * of the authenticated path is the real one; only Cloudflare is missing.
 */
export async function startEmbeddedRemote(config: WorkerConfig): Promise<EmbeddedRemote> {
  const remote = config.bindings.filter((binding) => binding.remote);
  const names = (type: BindingConfig["type"]) =>
    remote.filter((binding) => binding.type === type).map((binding) => binding.name);
  const services = remote.filter(
    (binding): binding is BindingConfig & { type: "service" } => binding.type === "service",
  );
  const proxyServer = proxyServerWorker({
    kvNamespaces: names("kv"),
    r2Buckets: names("r2"),
    d1Databases: names("d1"),
    serviceBindings: {
      ...Object.fromEntries(
        services.map((binding) => [
          binding.name,
          binding.entrypoint === undefined
            ? binding.service
            : { name: binding.service, entrypoint: binding.entrypoint },
        ]),
      ),
      ...Object.fromEntries(names("ai").map((name) => [name, unavailable("Workers AI")])),
      ...Object.fromEntries(names("vectorize").map((name) => [name, unavailable("Vectorize")])),
    },
  });
  const access = await startAccessEmulator({
    origin: { worker: proxyServer, extraWorkers: await standInWorkers(config, services) },
    application: { type: "service_auth_only", teamName: "embedded-remote" },
  });
  return {
    url: new URL(access.url),
    credentials: access.createServiceToken(),
    access,
    dispose: () => access.dispose(),
  };
}
