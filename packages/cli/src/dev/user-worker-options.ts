import path from "node:path";
import type { RemoteBindingOptions } from "@access-bridge/remote-bindings";
import { Response, type V4WorkerOptions as WorkerOptions } from "miniflare";
import type { BindingConfig, WorkerConfig } from "../config/worker-config.js";
import type { WorkerBundle } from "./bundle-worker.js";

/** How a `remote: true` binding travels through the proxy client. */
export function remoteBindingOptions(binding: BindingConfig): RemoteBindingOptions {
  return { type: binding.type };
}

/** A local service binding whose Worker this dev server does not run. */
function missingLocalService(binding: BindingConfig & { type: "service" }) {
  return () =>
    new Response(
      `The service binding ${binding.name} points at "${binding.service}", which access-bridge dev does not run locally. Mark it "remote": true to reach the deployed one.`,
      { status: 503 },
    );
}

/** The user's Worker with its local bindings; remote ones are added by remoteBindings().apply. */
export function userWorkerOptions(config: WorkerConfig, bundle: WorkerBundle): WorkerOptions {
  const local = config.bindings.filter((binding) => !binding.remote);
  const byType = <T extends BindingConfig["type"]>(type: T) =>
    local.filter(
      (binding): binding is Extract<BindingConfig, { type: T }> => binding.type === type,
    );
  return {
    name: config.name,
    modules: [
      { type: "ESModule", path: config.main.replace(/\.[cm]?tsx?$/, ".js"), contents: bundle.code },
    ],
    // Module names are relative to this root; workerd refuses names that climb out with "..".
    modulesRoot: path.dirname(config.main),
    compatibilityDate: config.compatibilityDate,
    compatibilityFlags: config.compatibilityFlags,
    bindings: config.vars as Record<string, never>,
    kvNamespaces: Object.fromEntries(byType("kv").map((b) => [b.name, b.id ?? b.name])),
    r2Buckets: Object.fromEntries(byType("r2").map((b) => [b.name, b.bucketName ?? b.name])),
    d1Databases: Object.fromEntries(
      byType("d1").map((b) => [b.name, b.databaseId ?? b.databaseName ?? b.name]),
    ),
    serviceBindings: Object.fromEntries(
      byType("service").map((b) => [b.name, missingLocalService(b)]),
    ),
  };
}
