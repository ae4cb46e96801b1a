// The user's own wrangler, a peer dependency: the one their project resolves, so that
// `access-bridge dev` runs exactly the wrangler `npx wrangler dev` would. Its module (15 MB of
// JavaScript) is loaded only when a config has to be parsed.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type * as Wrangler from "wrangler";
import { CliError } from "../cli-error.js";

export const SUPPORTED_MAJOR = 4;

export interface UserWrangler {
  version: string;
  /** Its `bin/wrangler.js`, what `npx wrangler` runs. */
  bin: string;
  load(): typeof Wrangler;
}

function resolveFrom(dir: string): string | undefined {
  try {
    return createRequire(path.join(dir, "package.json")).resolve("wrangler/package.json");
  } catch {
    return undefined;
  }
}

/** wrangler as the project at `projectDir` resolves it, else as access-bridge itself does. */
export function findWrangler(projectDir: string): UserWrangler {
  const manifestPath =
    resolveFrom(projectDir) ?? resolveFrom(path.dirname(fileURLToPath(import.meta.url)));
  if (manifestPath === undefined) {
    throw new CliError(
      "ERR_WRANGLER_NOT_FOUND",
      `wrangler is not installed where ${projectDir} can find it. access-bridge runs your own wrangler: npm install --save-dev wrangler@${SUPPORTED_MAJOR}`,
    );
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    version: string;
    bin: Record<string, string>;
  };
  const major = Number(manifest.version.split(".")[0]);
  if (major !== SUPPORTED_MAJOR) {
    throw new CliError(
      "ERR_WRANGLER_NOT_FOUND",
      `access-bridge needs wrangler ${SUPPORTED_MAJOR}, but ${path.dirname(manifestPath)} is wrangler ${manifest.version}. Install a supported one: npm install --save-dev wrangler@${SUPPORTED_MAJOR}`,
    );
  }
  const dir = path.dirname(manifestPath);
  return {
    version: manifest.version,
    bin: path.join(dir, manifest.bin.wrangler!),
    load: () => createRequire(manifestPath)("wrangler") as typeof Wrangler,
  };
}
