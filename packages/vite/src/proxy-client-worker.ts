// The proxy client as an auxiliary Worker of the Cloudflare Vite plugin. It is given as a config
// file, not inline, for one reason: its credentials. wrangler reads a Worker's secrets from the
// `.env` beside its config file (an inline Worker would read the project's own `.dev.vars` and
// `.env` instead), and this `.env` holds references to the environment, never values (see
// proxyClientDotEnv in @access-bridge/remote-bindings). Values become `secret_text` bindings of
// this Worker only, which the plugin never prints. Its entry is a virtual module (virtual-modules.ts).
import { generatedDir, ignoreInGit, writeProxyClientFiles } from "@access-bridge/dev-session";
import {
  proxyClientWranglerConfig,
  type ProxyClientWorker,
  type RawSection,
} from "@access-bridge/remote-bindings";
import { PROXY_CLIENT_ENTRY } from "./virtual-modules.js";

/**
 * The proxy client's wrangler config, as `access-bridge dev` writes it (one section per user
 * environment, so the plugin's CLOUDFLARE_ENV keeps the name the service bindings point at),
 * with its entry the plugin's virtual module, which Vite bundles.
 */
export function proxyClientConfig(
  client: ProxyClientWorker,
  environments: readonly string[],
): RawSection {
  const config = proxyClientWranglerConfig(client, environments);
  delete config.no_bundle;
  return { ...config, main: PROXY_CLIENT_ENTRY };
}

/**
 * Writes the proxy client's config and its `.env` of references to the project's generated
 * folder (the plugin's own part of it: `access-bridge dev` may run beside it); returns the
 * config's path. Only what changed is written: the plugin restarts the dev server when a
 * Worker's config changes.
 */
export function writeProxyClientConfig(projectDir: string, config: RawSection): string {
  ignoreInGit(generatedDir(projectDir));
  return writeProxyClientFiles(generatedDir(projectDir, "vite"), config);
}
