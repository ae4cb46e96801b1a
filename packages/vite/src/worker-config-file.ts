// The entry Worker's wrangler config file, found the way the Cloudflare Vite plugin finds it
// (its getValidatedWranglerConfigPath): the plugin's `configPath`, else
// CLOUDFLARE_VITE_WRANGLER_CONFIG_PATH, else wrangler.jsonc, .json or .toml in the Vite root; no
// search upwards. The plugin reports a wrong path itself, so a missing file here is just "none".
import { existsSync } from "node:fs";
import path from "node:path";
import type { RawSection } from "@access-bridge/remote-bindings";

const CONFIG_FILE_NAMES = ["wrangler.jsonc", "wrangler.json", "wrangler.toml"];

export function findWorkerConfigFile(
  root: string,
  configPath: string | undefined,
): string | undefined {
  if (configPath !== undefined) {
    const resolved = path.resolve(root, configPath);
    return existsSync(resolved) ? resolved : undefined;
  }
  return CONFIG_FILE_NAMES.map((name) => path.join(root, name)).find((file) => existsSync(file));
}

interface RawConfigReader {
  experimental_readRawConfig(args: { config?: string }): { rawConfig: RawSection };
}

/** The config as written, every `env` section included, parsed by wrangler itself. */
export async function readRawWorkerConfig(file: string): Promise<RawSection> {
  // Loaded only when needed: wrangler is a large module.
  const wrangler = (await import("wrangler")) as unknown as RawConfigReader;
  return wrangler.experimental_readRawConfig({ config: file }).rawConfig;
}
