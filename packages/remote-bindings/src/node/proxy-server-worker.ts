import path from "node:path";
import type { V4WorkerOptions as WorkerOptions } from "miniflare";
import { WORKERS_COMPATIBILITY_DATE } from "./compatibility-date.js";
import { PROXY_SERVER_BUNDLE } from "./worker-bundles.js";

/**
 * Miniflare options for the proxy server Worker, for a local remote (tests, CI fixtures, the
 * CLI's embedded remote): give it the bindings it should expose and, optionally, the
 * ACCESS_TEAM_DOMAIN / ACCESS_AUD vars of its own JWT check.
 */
export function proxyServerWorker(
  options: Omit<WorkerOptions, "script" | "scriptPath" | "modules">,
): WorkerOptions {
  return {
    name: "access-bridge-proxy-server",
    compatibilityDate: WORKERS_COMPATIBILITY_DATE,
    ...options,
    modules: true,
    scriptPath: PROXY_SERVER_BUNDLE,
    // Module names are relative to the working directory otherwise, and workerd refuses the
    // ".." the bundle's path has when the package sits above the project.
    modulesRoot: path.dirname(PROXY_SERVER_BUNDLE),
  } as WorkerOptions;
}
