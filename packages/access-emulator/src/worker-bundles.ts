import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { AccessEmulatorError } from "./errors.js";

// This file sits directly in src/ (and, compiled, in dist/), so "../dist/workers" resolves to
// the bundles from both places.
export function workerBundlePath(name: string): string {
  const path = fileURLToPath(new URL(`../dist/workers/${name}.worker.js`, import.meta.url));
  if (!existsSync(path)) {
    throw new AccessEmulatorError(
      "ERR_START_FAILED",
      `The ${name} worker bundle is missing at ${path}. Run \`npm run build\` at the repository root.`,
    );
  }
  return path;
}
