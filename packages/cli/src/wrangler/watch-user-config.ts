// wrangler reloads when the config it runs changes, but it runs the generated one: edits to the
// user's own config are turned into a new generated config here, and wrangler takes it from there.
import { watch } from "node:fs";
import path from "node:path";
import { errorDetail } from "@access-bridge/conventions";
import { logger } from "../logger.js";

const DEBOUNCE_MS = 100;

/** Calls `regenerate` after each change of `configPath`; returns what stops watching. */
export function watchUserConfig(configPath: string, regenerate: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const name = path.basename(configPath);
  // The folder, not the file: editors often save by renaming a new file over the old one,
  // after which a watcher of the old file hears nothing.
  const watcher = watch(path.dirname(configPath), (_event, changed) => {
    if (changed !== name) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      try {
        regenerate();
      } catch (error) {
        logger.error(`${errorDetail(error)}\nwrangler keeps running the last config that worked.`);
      }
    }, DEBOUNCE_MS);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
