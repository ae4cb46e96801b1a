// Runs one test-only Worker from test/workers/ in real workerd, bundled at test time the way
// scripts/build.mjs bundles shipped Workers (so it imports the units under test from src/), on
// 127.0.0.1 port 0, with no network and no proxy client. Started before the file's tests and
// disposed after them.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { WORKER_BUNDLE_OPTIONS } from "@access-bridge/conventions";
import { build } from "esbuild";
import { convertV4MiniflareOptions, Miniflare, type V4WorkerOptions } from "miniflare";
import { afterAll, beforeAll } from "vitest";
import { WORKERS_COMPATIBILITY_DATE } from "../../src/node/compatibility-date.js";

const workersDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "workers");

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [path.join(workersDir, entry)],
    ...WORKER_BUNDLE_OPTIONS,
    write: false,
    logLevel: "silent",
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error(`esbuild produced no output for ${entry}`);
  return output.text;
}

export interface UnitWorker {
  /** GETs `route` on the Worker and answers its JSON; a non-2xx answer throws with its text. */
  get<T = unknown>(route: string): Promise<T>;
}

/** `entry` is a file in test/workers/; `options` its bindings (V4 options: kvNamespaces, …). */
export function useUnitWorker(
  entry: string,
  options: Omit<V4WorkerOptions, "modules" | "script" | "scriptPath"> = {},
): UnitWorker {
  let mf: Miniflare | undefined;
  beforeAll(async () => {
    mf = new Miniflare(
      convertV4MiniflareOptions({
        cf: false,
        host: "127.0.0.1",
        port: 0,
        compatibilityDate: WORKERS_COMPATIBILITY_DATE,
        ...options,
        modules: true,
        script: await bundle(entry),
      }),
    );
    await mf.ready;
  });
  afterAll(() => mf?.dispose());
  return {
    async get<T>(route: string) {
      if (mf === undefined) throw new Error("the unit worker has not started");
      const response = await mf.dispatchFetch(`http://unit.test${route}`);
      const text = await response.text();
      if (!response.ok) throw new Error(`${route} answered ${response.status}: ${text}`);
      return JSON.parse(text) as T;
    },
  };
}
