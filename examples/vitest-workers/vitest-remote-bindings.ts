// The remote bindings of a wrangler config, through access-bridge, in the Workers vitest
// integration. Copy this file into your project; vitest.config.mts shows how to use it.
//
// The integration reads your wrangler config itself, and would send its "remote": true bindings
// to Cloudflare with wrangler's own login. So it gets a rewritten copy instead, the one
// `access-bridge dev` runs: each remote binding is a service binding (with props) to the
// access-bridge proxy client, a Worker added beside yours, which alone holds the Access
// credentials and calls your remote proxy server through Access.
import path from "node:path";
import {
  remoteBindings,
  rewriteWranglerConfig,
  writeWranglerConfigs,
} from "@access-bridge/remote-bindings";
import { experimental_readRawConfig } from "wrangler";

export interface VitestRemoteBindingsOptions {
  /** Your wrangler config. */
  configPath: string;
  /** The proxy server. Default: ACCESS_BRIDGE_REMOTE_URL. */
  remoteUrl?: string;
  /** The wrangler environment your tests run, as in cloudflareTest({ wrangler: { environment } }). */
  environment?: string;
}

export interface VitestRemoteBindings {
  /** For cloudflareTest({ wrangler }): your config, its remote bindings rewritten. */
  wrangler: { configPath: string; environment?: string };
  /** For cloudflareTest({ miniflare: { workers } }): the proxy client. */
  workers: ReturnType<typeof remoteBindings>["workers"];
  /**
   * For test.setupFiles: puts the KV, R2 and D1 facades into `env` before your tests and code
   * import anything (`env` from "cloudflare:workers" or "cloudflare:test" then shows them).
   */
  setupFiles: string[];
}

// One name for the proxy client in the rewritten config and in Miniflare's workers.
const PROXY_CLIENT = "access-bridge-proxy-client";

export function vitestRemoteBindings(options: VitestRemoteBindingsOptions): VitestRemoteBindings {
  const remoteUrl = options.remoteUrl ?? process.env.ACCESS_BRIDGE_REMOTE_URL;
  if (!remoteUrl) {
    throw new Error(
      "ACCESS_BRIDGE_REMOTE_URL is not set, so the tests have no remote for their remote bindings. " +
        "Run `npx access-bridge remote` and export the lines it prints (CI does this), or set it " +
        "to your deployed proxy server with CLOUDFLARE_ACCESS_CLIENT_ID and CLOUDFLARE_ACCESS_CLIENT_SECRET.",
    );
  }
  const configPath = path.resolve(options.configPath);
  const projectDir = path.dirname(configPath);
  const outDir = path.join(projectDir, ".wrangler", "access-bridge", "vitest");
  const { rawConfig } = experimental_readRawConfig({ config: configPath });
  // Credentials are left out on purpose: no generated file may hold them.
  const rewritten = rewriteWranglerConfig({
    rawConfig,
    configPath,
    outDir,
    remoteUrl,
    clientWorkerName: PROXY_CLIENT,
  });
  const written = writeWranglerConfigs(rewritten, { outDir, projectDir });
  for (const warning of written.warnings) console.warn(`[access-bridge] ${warning}`);

  const section =
    rewritten.sections.find((entry) => entry.environment === options.environment) ??
    rewritten.sections[0]!;
  // The credentials come from CLOUDFLARE_ACCESS_CLIENT_ID + CLOUDFLARE_ACCESS_CLIENT_SECRET (or
  // CLOUDFLARE_ACCESS_TOKEN) and become text bindings of the proxy client only.
  const remote = remoteBindings({
    remoteUrl,
    bindings: Object.fromEntries(
      section.carried.map((binding) => [binding.name, { type: binding.type }]),
    ),
    clientWorkerName: PROXY_CLIENT,
  });
  const suffix = options.environment === undefined ? "" : `.env-${options.environment}`;
  const installer = rewritten.modules.find(
    (module) => path.basename(module.file) === `facades${suffix}.mjs`,
  );
  return {
    wrangler: { configPath: written.userConfig, environment: options.environment },
    workers: remote.workers,
    setupFiles: installer === undefined ? [] : [installer.file],
  };
}
