// Whether the user's entry has a default export decides how its facade wrapper re-exports it
// (user-entry.ts of @access-bridge/remote-bindings). esbuild answers, but its first answer in a
// process costs 60–200 ms (a worker thread and the esbuild binary start), paid by `dev` before it
// can start wrangler. So the answer is kept beside the generated configs, keyed by the entry's
// path and exact bytes: an unchanged entry is not read by esbuild again, an edited one always is.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { hasDefaultExport } from "@access-bridge/remote-bindings";
import { generatedDir, ignoreInGit, writeIfChanged } from "./generated-files.js";

const CACHE_FILE = "entry-exports.json";
const CACHE_FORMAT = 1;

type Remembered = Record<string, { key: string; hasDefaultExport: boolean }>;

function readRemembered(file: string): Remembered {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as {
      format?: number;
      entries?: Remembered;
    };
    return parsed.format === CACHE_FORMAT && parsed.entries !== undefined ? parsed.entries : {};
  } catch {
    return {};
  }
}

/**
 * `hasDefaultExport` for the rewrite of the config in `projectDir`, remembered in its generated
 * folder. A module that cannot be read or parsed is never remembered: esbuild's error comes back
 * each time, as it would without this.
 */
export function rememberedDefaultExport(projectDir: string): (file: string) => boolean {
  const dir = generatedDir(projectDir);
  const cacheFile = path.join(dir, CACHE_FILE);
  return (file) => {
    let key: string;
    try {
      key = createHash("sha256").update(readFileSync(file)).digest("hex");
    } catch {
      // Missing or unreadable: esbuild says so, in the words the rewrite reports.
      return hasDefaultExport({ path: file });
    }
    const remembered = readRemembered(cacheFile);
    const known = remembered[file];
    if (known?.key === key) return known.hasDefaultExport;
    const answer = hasDefaultExport({ path: file });
    ignoreInGit(dir);
    const entries = { ...remembered, [file]: { key, hasDefaultExport: answer } };
    writeIfChanged(cacheFile, JSON.stringify({ format: CACHE_FORMAT, entries }));
    return answer;
  };
}
