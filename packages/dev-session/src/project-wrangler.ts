// The project's own wrangler, a peer dependency: the one `npx wrangler` runs in the project. It
// parses the user's config, runs `wrangler dev`, and runs the proxy client beside a framework's
// getPlatformProxy() (not whichever copy a framework's adapter pins for itself: @astrojs/cloudflare
// 12 pins wrangler 4.59, and both sides of the dev registry must speak the same version of it).
// Its module (15 MB of JavaScript) is loaded only when a config has to be parsed.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type * as Wrangler from "wrangler";
import { DevSessionError } from "./dev-session-error.js";

export const SUPPORTED_WRANGLER_MAJOR = 4;

export type WranglerModule = typeof Wrangler;

export interface ProjectWrangler {
  version: string;
  /** Its `bin/wrangler.js`, what `npx wrangler` runs. */
  bin: string;
  /**
   * By absolute path, so that the hooks of `access-bridge run` (which redirect the bare
   * specifier "wrangler") hand back the real module.
   */
  load(): WranglerModule;
}

function manifestFrom(dir: string): string | undefined {
  try {
    return createRequire(path.join(dir, "package.json")).resolve("wrangler/package.json");
  } catch {
    return undefined;
  }
}

/** wrangler as the project at `projectDir` resolves it, else as access-bridge itself does. */
export function findProjectWrangler(projectDir: string): ProjectWrangler {
  const manifestPath = manifestFrom(projectDir) ?? manifestFrom(import.meta.dirname);
  if (manifestPath === undefined) {
    throw new DevSessionError(
      "ERR_WRANGLER_NOT_FOUND",
      `wrangler is not installed where ${projectDir} can find it. access-bridge runs your own wrangler: npm install --save-dev wrangler@${SUPPORTED_WRANGLER_MAJOR}`,
    );
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    version: string;
    main: string;
    bin: Record<string, string>;
  };
  const dir = path.dirname(manifestPath);
  if (Number(manifest.version.split(".")[0]) !== SUPPORTED_WRANGLER_MAJOR) {
    throw new DevSessionError(
      "ERR_WRANGLER_NOT_FOUND",
      `access-bridge needs wrangler ${SUPPORTED_WRANGLER_MAJOR}, but ${dir} is wrangler ${manifest.version}. Install a supported one: npm install --save-dev wrangler@${SUPPORTED_WRANGLER_MAJOR}`,
    );
  }
  const main = path.join(dir, manifest.main);
  return {
    version: manifest.version,
    bin: path.join(dir, manifest.bin.wrangler!),
    load: () => createRequire(manifestPath)(main) as WranglerModule,
  };
}
