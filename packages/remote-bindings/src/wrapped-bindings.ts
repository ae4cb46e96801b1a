// Bindings whose API cannot be an RPC stub (D1's synchronous prepare(), the AI and Vectorize
// client libraries) are Miniflare wrapped bindings: a module that runs in the user's isolate and
// reaches the proxy client through a service binding of the user worker.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { V4WorkerOptions as WorkerOptions } from "miniflare";
import type { RemoteBindingKind } from "./wire-protocol.js";
import { WRAPPED_BINDINGS_BUNDLE } from "./worker-bundles.js";

export const WRAPPED_KINDS: ReadonlySet<RemoteBindingKind> = new Set(["ai", "vectorize", "d1"]);

/**
 * The module is given as its source, because Miniflare's import scan (`modules: true`) does not
 * know the workerd built-ins it imports. Miniflare refuses a wrapped-binding worker that sets
 * its own compatibility date or flags: it runs with the user worker's.
 */
export function wrappedBindingsWorker(name: string): WorkerOptions {
  return {
    name,
    modules: [
      {
        type: "ESModule",
        path: WRAPPED_BINDINGS_BUNDLE,
        contents: readFileSync(WRAPPED_BINDINGS_BUNDLE, "utf8"),
      },
    ],
    modulesRoot: path.dirname(WRAPPED_BINDINGS_BUNDLE),
  };
}

/** The service binding the wrapper reads; a name no Worker would pick for itself. */
export function proxyClientServiceName(binding: string): string {
  return `__ACCESS_BRIDGE_${binding}`;
}

export function wrappedBinding(
  workerName: string,
  binding: string,
  kind: RemoteBindingKind,
  indexName: string | undefined,
): { scriptName: string; bindings: Record<string, string> } {
  return {
    scriptName: workerName,
    bindings: {
      kind,
      binding,
      service: proxyClientServiceName(binding),
      ...(indexName === undefined ? {} : { indexName }),
    },
  };
}
