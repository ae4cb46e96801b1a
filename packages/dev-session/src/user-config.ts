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
import type { RawSection } from "@access-bridge/remote-bindings";
import { DevSessionError } from "./dev-session-error.js";
import { generatedDir, ignoreInGit, writeIfChanged } from "./generated-files.js";
import type { ProjectWrangler } from "./project-wrangler.js";

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

export interface UserConfigQuery {
  cwd: string;
  /** The config path the user gave, relative to `cwd`; undefined to let wrangler search. */
  config: string | undefined;
  env: string | undefined;
  /** How the user gives a config path, for the messages: `--config` (default), `configPath`. */
  configOption?: string;
}

/** The path the user named (which must exist), or undefined to let wrangler search. */
function explicitConfigPath(query: UserConfigQuery): string | undefined {
  if (query.config === undefined) return undefined;
  const resolved = path.resolve(query.cwd, query.config);
  if (!existsSync(resolved)) {
    throw new DevSessionError(
      "ERR_CONFIG_NOT_FOUND",
      `No config file at ${resolved}. Check the ${query.configOption ?? "--config"} path.`,
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

function cacheKey(file: string, wrangler: ProjectWrangler, env: string | undefined): string {
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

/** The user's config as their wrangler finds, parses and validates it (see the top of the file). */
export function readUserConfig(wrangler: ProjectWrangler, options: UserConfigQuery): UserConfig {
  const located = locateConfig(options.cwd, explicitConfigPath(options));
  const key = located === undefined ? undefined : cacheKey(located, wrangler, options.env);
  const cached = key === undefined ? undefined : readCache(located!, key);
  if (cached !== undefined) return cached;
  const config = parseWithWrangler(wrangler, located, options);
  if (config.path === located) writeCache(config, key!);
  return config;
}

function parseWithWrangler(
  wrangler: ProjectWrangler,
  located: string | undefined,
  options: UserConfigQuery,
): UserConfig {
  const module = wrangler.load();
  // The file found from `options.cwd`: wrangler would search from process.cwd(), which a
  // getPlatformProxy() or a test may not share, and the cache is keyed by this file.
  const config = located;
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
    throw new DevSessionError(
      "ERR_CONFIG",
      `wrangler could not use your config: ${describeReadError(error)}\nFix it and run again.`,
      { cause: error },
    );
  }
  if (found.configPath === undefined) {
    throw new DevSessionError(
      "ERR_CONFIG_NOT_FOUND",
      `No wrangler.json, wrangler.jsonc or wrangler.toml in ${options.cwd} or above it. Run in your Worker's folder or pass ${options.configOption ?? "--config"} <path>.`,
    );
  }
  return { path: path.resolve(found.configPath), raw: found.rawConfig };
}
