import path from "node:path";
import { startAccessEmulator, type AccessEmulator } from "@access-bridge/access-emulator";
import { proxyServerWorker } from "@access-bridge/remote-bindings";
import { onTestFinished } from "vitest";
import { bundleWorker } from "../../src/dev/bundle-worker.js";
import { REPO_ROOT } from "./cli-process.js";

/**
 * The notes example's remote, started on its own as a deployment would be: the proxy server
 * with D1, R2 and the search service, behind the Access emulator.
 */
export async function startNotesRemote(
  type: "self_hosted" | "service_auth_only" = "service_auth_only",
): Promise<AccessEmulator> {
  const searchEntry = path.join(REPO_ROOT, "examples/notes/search-service/index.ts");
  const search = await bundleWorker(searchEntry, false);
  const access = await startAccessEmulator({
    origin: {
      worker: proxyServerWorker({
        d1Databases: ["DB"],
        r2Buckets: ["ATTACHMENTS"],
        serviceBindings: { SEARCH: "notes-search" },
      }),
      extraWorkers: [
        {
          name: "notes-search",
          modules: [{ type: "ESModule", path: "search.js", contents: search.code }],
          compatibilityDate: "2026-04-01",
        },
      ],
    },
    application: { type },
  });
  onTestFinished(() => access.dispose());
  return access;
}
