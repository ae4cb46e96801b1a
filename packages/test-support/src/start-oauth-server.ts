import { fileURLToPath } from "node:url";
import { WORKERS_COMPATIBILITY_DATE } from "@access-bridge/conventions";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { onTestFinished } from "vitest";
import { bundleTestWorker } from "./bundle-test-worker.js";

const ENTRY = fileURLToPath(new URL("./oauth-server.worker.ts", import.meta.url));
let script: Promise<string> | undefined;

/** The workers-oauth-provider test server in workerd with its KV; disposed when the test ends. */
export async function startOAuthServer(
  options: { accessTokenTtlSeconds?: number } = {},
): Promise<{ mf: Miniflare; issuer: string }> {
  script ??= bundleTestWorker(ENTRY);
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      cf: false,
      host: "127.0.0.1",
      port: 0,
      compatibilityDate: WORKERS_COMPATIBILITY_DATE,
      compatibilityFlags: ["nodejs_compat", "global_fetch_strictly_public"],
      modules: [{ type: "ESModule", path: "oauth-server.js", contents: await script }],
      kvNamespaces: ["OAUTH_KV"],
      bindings: { ACCESS_TOKEN_TTL: String(options.accessTokenTtlSeconds ?? 3600) },
    }),
  );
  onTestFinished(() => mf.dispose());
  return { mf, issuer: (await mf.ready).origin };
}
