// The user's wrangler config, found, parsed and validated by their own wrangler: the same file
// `wrangler dev` would pick, the same errors it would print, against the user's own file (the
// generated config would otherwise be the one named in them).
import { existsSync } from "node:fs";
import path from "node:path";
import type { RawSection } from "@access-bridge/remote-bindings";
import { CliError } from "../cli-error.js";
import type { UserWrangler } from "./user-wrangler.js";

export interface UserConfig {
  /** Absolute path of the config file. */
  path: string;
  /** As written, `env` sections included. */
  raw: RawSection;
}

interface WranglerParseError extends Error {
  location?: { file?: string; line?: number; column?: number; lineText?: string };
}

function describeReadError(error: unknown): string {
  const { message, location } = error as WranglerParseError;
  if (location?.line === undefined) return message;
  const where = `${location.file}:${location.line}:${location.column ?? 0}`;
  return `${where}: ${message}${location.lineText === undefined ? "" : `\n  ${location.lineText}`}`;
}

/** The path `--config` names (which must exist), or undefined to let wrangler search. */
export function explicitConfigPath(cwd: string, config: string | undefined): string | undefined {
  if (config === undefined) return undefined;
  const resolved = path.resolve(cwd, config);
  if (!existsSync(resolved)) {
    throw new CliError(
      "ERR_CONFIG_NOT_FOUND",
      `No config file at ${resolved}. Check the --config path.`,
    );
  }
  return resolved;
}

export function readUserConfig(
  wrangler: UserWrangler,
  options: { cwd: string; config: string | undefined; env: string | undefined },
): UserConfig {
  const module = wrangler.load();
  const config = explicitConfigPath(options.cwd, options.config);
  let found: { rawConfig: RawSection; configPath: string | undefined };
  try {
    found = module.experimental_readRawConfig({ config });
    if (found.configPath !== undefined) {
      // Validation only: wrangler dev prints the warnings itself, once.
      module.unstable_readConfig(
        { config: found.configPath, env: options.env },
        { hideWarnings: true },
      );
    }
  } catch (error) {
    throw new CliError(
      "ERR_CONFIG",
      `wrangler could not use your config: ${describeReadError(error)}\nFix it and run again.`,
      1,
      { cause: error },
    );
  }
  if (found.configPath === undefined) {
    throw new CliError(
      "ERR_CONFIG_NOT_FOUND",
      `No wrangler.json, wrangler.jsonc or wrangler.toml in ${options.cwd} or above it. Run in your Worker's folder or pass --config <path>.`,
    );
  }
  return { path: path.resolve(found.configPath), raw: found.rawConfig };
}
