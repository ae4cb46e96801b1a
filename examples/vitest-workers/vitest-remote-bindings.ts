// The remote bindings of a wrangler config, through access-bridge, in the Workers vitest
// integration. Copy this file into your project; vitest.config.mts shows how to use it.
//
// The integration reads your wrangler config itself, and would send its "remote": true bindings
// to Cloudflare with wrangler's own login. So it gets a rewritten copy instead, the one
// `access-bridge dev` runs: each remote binding is a service binding (with props) to the
// access-bridge proxy client, a Worker added beside yours, which alone holds the Access
// credentials and calls your remote proxy server through Access. The remote, its credentials and
// the generated files are decided as for every access-bridge tool, by @access-bridge/dev-session.
import path from "node:path";
import {
  generatedDir,
  PROXY_CLIENT_WORKER_NAME,
  REMOTE_URL_VARIABLE,
  resolveRemoteUrl,
  resolveSessionCredentials,
  writeWranglerConfigs,
} from "@access-bridge/dev-session";
import { remoteBindings, rewriteWranglerConfig } from "@access-bridge/remote-bindings";
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

export async function vitestRemoteBindings(
  options: VitestRemoteBindingsOptions,
): Promise<VitestRemoteBindings> {
  const remoteUrl = resolveRemoteUrl(
    { value: options.remoteUrl, source: "vitestRemoteBindings({ remoteUrl })" },
    process.env,
  );
  if (remoteUrl === undefined) {
    throw new Error(
      `${REMOTE_URL_VARIABLE} is not set, so the tests have no remote for their remote bindings. ` +
        "Run `npx access-bridge remote` and export the lines it prints (CI does this), or set it " +
        "to your deployed proxy server with CLOUDFLARE_ACCESS_CLIENT_ID and CLOUDFLARE_ACCESS_CLIENT_SECRET.",
    );
  }
  const configPath = path.resolve(options.configPath);
  const projectDir = path.dirname(configPath);
  const outDir = generatedDir(projectDir, "vitest");
  const { rawConfig } = experimental_readRawConfig({ config: configPath });
  // Credentials are left out on purpose: no generated file may hold them.
  const rewritten = rewriteWranglerConfig({
    rawConfig,
    configPath,
    outDir,
    remoteUrl,
    clientWorkerName: PROXY_CLIENT_WORKER_NAME,
  });
  const written = writeWranglerConfigs(rewritten, { outDir, projectDir });
  for (const warning of written.warnings) console.warn(`[access-bridge] ${warning}`);

  const section =
    rewritten.sections.find((entry) => entry.environment === options.environment) ??
    rewritten.sections[0]!;
  // CLOUDFLARE_ACCESS_CLIENT_ID + CLOUDFLARE_ACCESS_CLIENT_SECRET, CLOUDFLARE_ACCESS_TOKEN, or the
  // token `access-bridge login --access` stored for the remote's host: text bindings of the
  // proxy client only.
  const { credentials, source } = await resolveSessionCredentials(
    remoteUrl,
    process.env,
    (message) => console.warn(`[access-bridge] ${message}`),
  );
  const remote = remoteBindings({
    remoteUrl: remoteUrl.href,
    credentials: credentials ?? null,
    // So that an Access block's advice names the fix for where the credential came from.
    credentialSource: source,
    bindings: Object.fromEntries(
      section.carried.map((binding) => [binding.name, { type: binding.type }]),
    ),
    clientWorkerName: PROXY_CLIENT_WORKER_NAME,
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
