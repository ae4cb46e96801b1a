// The user's wrangler config, found, parsed and validated by their own wrangler: the same file
// `wrangler dev` would pick, the same errors it would print, against the user's own file (the
// generated config would otherwise be the one named in them).
//
// Loading wrangler's module takes a second or more, as long again as `wrangler dev` itself takes
// to load it. So wrangler's parse is kept beside the generated configs, keyed by the config's
// exact bytes, the wrangler version and the environment: a start with an unchanged config does
// not load wrangler in this process at all, and wrangler dev validates the config it runs anyway.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { generatedDir, ignoreInGit, writeIfChanged } from "@access-bridge/dev-session";
import type { RawSection } from "@access-bridge/remote-bindings";
import { CliError } from "../cli-error.js";
import type { UserWrangler } from "./user-wrangler.js";

const CACHE_FILE = "parsed-config.json";
const CACHE_FORMAT = 1;

/** The names wrangler looks for, each searched from `cwd` up to the root, in this order. */
const CONFIG_NAMES = ["wrangler.json", "wrangler.jsonc", "wrangler.toml"];

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

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The config wrangler would pick (its config-helpers.ts order), to find the cached parse. */
function locateConfig(cwd: string, explicit: string | undefined): string | undefined {
  if (explicit !== undefined) return explicit;
  for (const name of CONFIG_NAMES) {
    for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
      if (isFile(path.join(dir, name))) return path.join(dir, name);
      if (path.dirname(dir) === dir) break;
    }
  }
  return undefined;
}

interface CachedParse {
  key: string;
  path: string;
  raw: RawSection;
}

function cacheKey(file: string, wrangler: UserWrangler, env: string | undefined): string {
  return createHash("sha256")
    .update(JSON.stringify([CACHE_FORMAT, wrangler.version, file, env ?? null]))
    .update("\0")
    .update(readFileSync(file))
    .digest("hex");
}

function readCache(file: string, key: string): UserConfig | undefined {
  try {
    const cached = JSON.parse(
      readFileSync(path.join(generatedDir(path.dirname(file)), CACHE_FILE), "utf8"),
    ) as CachedParse;
    return cached.key === key && cached.path === file ? { path: file, raw: cached.raw } : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(config: UserConfig, key: string): void {
  const dir = generatedDir(path.dirname(config.path));
  ignoreInGit(dir);
  const cached: CachedParse = { key, path: config.path, raw: config.raw };
  writeIfChanged(path.join(dir, CACHE_FILE), JSON.stringify(cached));
}

export function readUserConfig(
  wrangler: UserWrangler,
  options: { cwd: string; config: string | undefined; env: string | undefined },
): UserConfig {
  const located = locateConfig(options.cwd, explicitConfigPath(options.cwd, options.config));
  const key = located === undefined ? undefined : cacheKey(located, wrangler, options.env);
  const cached = key === undefined ? undefined : readCache(located!, key);
  if (cached !== undefined) return cached;
  const config = parseWithWrangler(wrangler, options);
  if (config.path === located) writeCache(config, key!);
  return config;
}

function parseWithWrangler(
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
