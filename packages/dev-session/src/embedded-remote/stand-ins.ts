// Which carried bindings the embedded remote can stand in for, and with what: one decision, read
// by the embedded remote (which starts them) and by whoever reports on it (`access-bridge remote`).
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  WORKERS_COMPATIBILITY_DATE,
  type CarriedBinding,
  type RemoteBindingType,
} from "@access-bridge/remote-bindings";
import type { V4WorkerOptions as WorkerOptions } from "miniflare";
import { bundleStandIn } from "./bundle-stand-in.js";
import { readStandInServices, STAND_INS_FILE } from "./stand-ins-file.js";

export interface EmbeddedRemoteBinding {
  name: string;
  type: RemoteBindingType;
  /** The wrangler section it was declared in. */
  section: string;
  /** False when calls to it fail with an explanation: nothing local can stand in for it. */
  standIn: boolean;
}

// From src/embedded-remote and from dist/embedded-remote alike (see npm run build).
const UNAVAILABLE_BUNDLE = fileURLToPath(
  new URL("../../dist/workers/unavailable-stand-in.worker.js", import.meta.url),
);
const UNAVAILABLE_WORKER = "access-bridge-unavailable-stand-in";
// The deployed proxy server plus stand-ins for dispatch namespaces (see the worker).
export const EMBEDDED_PROXY_SERVER_BUNDLE = fileURLToPath(
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
  bindings: EmbeddedRemoteBinding[];
}

/** `carried` holds each binding once. */
export async function standIns(carried: CarriedBinding[], configDir: string): Promise<StandIns> {
  const services = readStandInServices(configDir);
  const kvNamespaces: string[] = [];
  const r2Buckets: string[] = [];
  const d1Databases: string[] = [];
  const queueProducers: Record<string, { queueName: string }> = {};
  const serviceBindings: Record<string, unknown> = {};
  const unavailableNamespaces: Record<string, string> = {};
  const workers: WorkerOptions[] = [];
  const bundled = new Set<string>();
  const missing = new Set<string>();
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
          missing.add(binding.name);
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
        missing.add(binding.name);
        unavailableNamespaces[binding.name] =
          `The embedded remote has no stand-in for the ${binding.section} binding ${binding.name}: only Cloudflare has it. ${NO_STAND_IN}`;
        break;
      default:
        missing.add(binding.name);
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
    bindings: carried.map(({ name, type, section }) => ({
      name,
      type,
      section,
      standIn: !missing.has(name),
    })),
  } as StandIns;
}
