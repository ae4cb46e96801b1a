import path from "node:path";
import { startAccessEmulator, type AccessEmulator } from "@access-bridge/access-emulator";
import { bundleStandIn } from "@access-bridge/dev-session";
import { proxyServerWorker, WORKERS_COMPATIBILITY_DATE } from "@access-bridge/remote-bindings";
import type { V4WorkerOptions } from "miniflare";
import { onTestFinished } from "vitest";
import { EXAMPLE_DIR } from "@access-bridge/test-support/cli-process";

/**
 * The notes example's remote, started on its own as a deployment would be: the proxy server
 * with D1, R2 and the search service, behind the Access emulator.
 */
export async function startNotesRemote(
  type: "self_hosted" | "service_auth_only" = "service_auth_only",
): Promise<AccessEmulator> {
  const search = await bundleStandIn(path.join(EXAMPLE_DIR, "search-service/index.ts"));
  const access = await startAccessEmulator({
    origin: {
      worker: proxyServerWorker({
        compatibilityDate: WORKERS_COMPATIBILITY_DATE,
        d1Databases: ["DB"],
        r2Buckets: ["ATTACHMENTS"],
        serviceBindings: { SEARCH: "notes-search" },
      }),
      extraWorkers: [
        {
          name: "notes-search",
          modules: [{ type: "ESModule", path: "search.js", contents: search }],
          compatibilityDate: WORKERS_COMPATIBILITY_DATE,
        } as V4WorkerOptions,
      ],
    },
    application: { type },
  });
  onTestFinished(() => access.dispose());
  return access;
}
