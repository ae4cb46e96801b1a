// wrangler resolves the paths of a config relative to the file they are written in. A config
// generated into another folder keeps pointing at the same files when each relative path is
// rewritten relative to the new folder. The fields below are those wrangler 4 resolves against
// the config's folder (workers-utils config/validation.ts, wrangler's assets.ts and
// resolve-entry.ts); `alias` values are resolved by esbuild from the project root, which
// wrangler takes to be the config's folder too.
import fs from "node:fs";
import path from "node:path";
import type { RawSection } from "./binding-sections.js";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export class PathRelocator {
  constructor(
    private readonly from: string,
    private readonly to: string,
  ) {}

  /** A path written relative to `from`, rewritten relative to `to` (absolute paths stay). */
  path(value: string): string {
    if (path.isAbsolute(value)) return value;
    const relative = path.relative(this.to, path.resolve(this.from, value)) || ".";
    const posix = relative.split(path.sep).join("/");
    return posix.startsWith(".") ? posix : `./${posix}`;
  }

  /** Only values that look like relative paths: module specifiers and URLs stay as they are. */
  relativeSpecifier(value: string): string {
    return value.startsWith("./") || value.startsWith("../") ? this.path(value) : value;
  }

  /** A container `image` is a Dockerfile path when that file exists, else an image reference. */
  image(value: string): string {
    return fs.existsSync(path.resolve(this.from, value)) ? this.path(value) : value;
  }
}

function mapStrings(
  value: unknown,
  map: (value: string) => string,
): Record<string, unknown> | undefined {
  if (!isRecord(value)) return undefined;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, typeof item === "string" ? map(item) : item]),
  );
}

function relocateBuild(build: Record<string, unknown>, to: PathRelocator): Record<string, unknown> {
  // wrangler applies the default watch_dir "./src" (relative to the config) only with a command.
  const watchDir = build.watch_dir ?? (build.command === undefined ? undefined : "./src");
  if (watchDir === undefined) return build;
  return {
    ...build,
    watch_dir: Array.isArray(watchDir)
      ? watchDir.map((dir) => (typeof dir === "string" ? to.path(dir) : dir))
      : typeof watchDir === "string"
        ? to.path(watchDir)
        : watchDir,
  };
}

function relocateD1(entry: unknown, to: PathRelocator): unknown {
  if (!isRecord(entry) || typeof entry.migrations_dir !== "string") return entry;
  const dir = entry.migrations_dir;
  const relocated = to.path(dir);
  const pattern = entry.migrations_pattern;
  return {
    ...entry,
    migrations_dir: relocated,
    // wrangler requires the pattern to start with `${migrations_dir}/`.
    ...(typeof pattern === "string" && pattern.startsWith(`${dir}/`)
      ? { migrations_pattern: `${relocated}${pattern.slice(dir.length)}` }
      : {}),
  };
}

function relocateContainer(entry: unknown, to: PathRelocator): unknown {
  if (!isRecord(entry)) return entry;
  const result = { ...entry };
  if (typeof entry.image === "string") result.image = to.image(entry.image);
  if (typeof entry.image_build_context === "string") {
    result.image_build_context = to.path(entry.image_build_context);
  }
  return result;
}

/** One section (the top level or an `env.<name>`) with its relative paths relocated. */
export function relocateSectionPaths(section: RawSection, to: PathRelocator): RawSection {
  const result: RawSection = { ...section };
  for (const key of ["main", "base_dir", "tsconfig", "pages_build_output_dir"]) {
    if (typeof section[key] === "string") result[key] = to.path(section[key]);
  }
  if (typeof section.$schema === "string") result.$schema = to.relativeSpecifier(section.$schema);
  if (isRecord(section.assets) && typeof section.assets.directory === "string") {
    result.assets = { ...section.assets, directory: to.path(section.assets.directory) };
  }
  if (isRecord(section.site)) {
    const site = { ...section.site };
    if (typeof site.bucket === "string") site.bucket = to.path(site.bucket);
    if (typeof site["entry-point"] === "string") site["entry-point"] = to.path(site["entry-point"]);
    result.site = site;
  }
  for (const key of ["wasm_modules", "text_blobs", "data_blobs"]) {
    const mapped = mapStrings(section[key], (file) => to.path(file));
    if (mapped !== undefined) result[key] = mapped;
  }
  const alias = mapStrings(section.alias, (target) => to.relativeSpecifier(target));
  if (alias !== undefined) result.alias = alias;
  if (isRecord(section.build)) result.build = relocateBuild(section.build, to);
  if (Array.isArray(section.d1_databases)) {
    result.d1_databases = section.d1_databases.map((entry) => relocateD1(entry, to));
  }
  if (Array.isArray(section.containers)) {
    result.containers = section.containers.map((entry) => relocateContainer(entry, to));
  }
  return result;
}
