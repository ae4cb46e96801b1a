// The project's own wrangler: the one `npx wrangler` runs in the project, and the one that runs
// the proxy client. getPlatformProxy() goes through it too, not through whichever copy a
// framework's adapter pins for itself (@astrojs/cloudflare 12 pins wrangler 4.59): both sides of
// the dev registry must speak the same version of it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type * as Wrangler from "wrangler";

export type WranglerModule = typeof Wrangler;

export interface ProjectWrangler {
  version: string;
  /** Its `bin/wrangler.js`. */
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

/** wrangler as `projectDir` resolves it, or undefined when it has none. */
export function projectWrangler(projectDir: string): ProjectWrangler | undefined {
  const manifestPath = manifestFrom(projectDir);
  if (manifestPath === undefined) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    version: string;
    main: string;
    bin: Record<string, string>;
  };
  const dir = path.dirname(manifestPath);
  const main = path.join(dir, manifest.main);
  return {
    version: manifest.version,
    bin: path.join(dir, manifest.bin.wrangler!),
    load: () => createRequire(manifestPath)(main) as WranglerModule,
  };
}
