// workerd warns "An RPC result was not disposed properly" / "An RPC stub was not disposed
// properly" when it collects an RPC result or stub that carried something to release. Code that
// needs no dispose() on a local binding must not get these warnings through a remote one: a
// plain-data answer (a D1 row, a service's plain object) carried a disposer from the proxy
// client (proxy-client/released-result.ts), and a chain's stub was never disposed by the
// service facade (user-facades/service.ts). Real workerd on both sides, its output captured,
// V8's collector run inside a request (--expose-gc).
import path from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { proxyServerWorker, remoteBindings } from "@access-bridge/remote-bindings";
import { convertV4MiniflareOptions, Miniflare, type V4MiniflareOptions } from "miniflare";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";

const workersDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "workers", "undisposed");
const COMPATIBILITY_DATE = "2026-04-01";
const NOT_DISPOSED = /An RPC (result|stub) was not disposed properly/g;

// Miniflare reads workerd's V8 flags from the environment when it builds workerd's config.
const previousFlags = process.env.MINIFLARE_WORKERD_V8_FLAGS;
process.env.MINIFLARE_WORKERD_V8_FLAGS = "--expose-gc";
afterAll(() => {
  if (previousFlags === undefined) delete process.env.MINIFLARE_WORKERD_V8_FLAGS;
  else process.env.MINIFLARE_WORKERD_V8_FLAGS = previousFlags;
});

const rpcService = {
  name: "rpc-service",
  modules: true,
  scriptPath: path.join(workersDir, "rpc-service.js"),
  compatibilityDate: COMPATIBILITY_DATE,
};

/** A Miniflare whose workerd output (stdio and structured logs) lands in `output`. */
async function start(options: V4MiniflareOptions, output: string[]) {
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      ...options,
      cf: false,
      host: "127.0.0.1",
      port: 0,
      handleRuntimeStdio(stdout: Readable, stderr: Readable) {
        stdout.on("data", (chunk: Buffer) => output.push(String(chunk)));
        stderr.on("data", (chunk: Buffer) => output.push(String(chunk)));
      },
      handleStructuredLogs: (log) => output.push(log.message),
    }),
  );
  onTestFinished(() => mf.dispose());
  return { mf, url: (await mf.ready).href };
}

async function startBothSides() {
  const remoteOutput: string[] = [];
  const remote = await start(
    {
      workers: [
        proxyServerWorker({
          name: "proxy-server",
          serviceBindings: { API: rpcService.name },
          d1Databases: ["DB"],
          kvNamespaces: ["KV"],
        }),
        rpcService,
      ],
    },
    remoteOutput,
  );
  const bindings = remoteBindings({
    remoteUrl: remote.url,
    bindings: { API: { type: "service" }, DB: { type: "d1" }, KV: { type: "kv" } },
    credentials: null,
  });
  const localOutput: string[] = [];
  const local = await start(
    {
      workers: [
        bindings.apply({
          name: "user-worker",
          modules: true,
          scriptPath: path.join(workersDir, "user-worker.js"),
          compatibilityDate: COMPATIBILITY_DATE,
          serviceBindings: { LOCAL_API: rpcService.name },
          d1Databases: ["LOCAL_DB"],
          kvNamespaces: ["LOCAL_KV"],
        }),
        rpcService,
        ...bindings.workers,
      ],
    },
    localOutput,
  );
  const call = async (route: string, names: string) => {
    const response = await local.mf.dispatchFetch(`http://localhost/${route}?${names}`);
    return response.text();
  };
  // Collected inside requests, then a moment for workerd's output to arrive.
  const collect = async () => {
    for (let i = 0; i < 3; i++) expect(await call("collect", "")).toBe("true");
    await new Promise((resolve) => setTimeout(resolve, 200));
  };
  const warnings = () => [...localOutput, ...remoteOutput].join("\n").match(NOT_DISPOSED) ?? [];
  return { call, collect, warnings };
}

const ROUTES = [
  "rpc",
  "object",
  "chain",
  "chainToObject",
  "awaitedAfterDispose",
  "d1",
  "d1All",
  "kvList",
];
const LOCAL = "api=LOCAL_API&db=LOCAL_DB&kv=LOCAL_KV";
const REMOTE = "api=API&db=DB&kv=KV";

describe("results and stubs the user's code need not dispose", () => {
  it.each([
    ["local bindings (the reference)", LOCAL],
    ["remote bindings, through the proxy client and the facades", REMOTE],
  ])("leave no 'not disposed' warning on %s", async (_, names) => {
    const { call, collect, warnings } = await startBothSides();
    for (let round = 0; round < 5; round++) {
      for (const route of ROUTES)
        expect(`${route}: ${await call(route, names)}`).toBe(`${route}: true`);
    }
    await collect();
    expect(warnings()).toEqual([]);
    // The control: a stub the code leaks is reported, so the capture above sees workerd's warning.
    expect(await call("leak", names)).toBe("true");
    await collect();
    expect(warnings()).toEqual(["An RPC stub was not disposed properly"]);
  });
});
