// npm run bench -- --soak: a long dev session, compressed. Mixed calls (RPC, HTTP, the dependent
// chain, D1, KV, R2) at a fixed concurrency for a long while, through a link that drops every
// connection at a fixed interval. A call may fail while a drop is fresh; none may fail outside
// those windows, and sockets, memory and the remote's live stubs must level off, not grow.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { remoteBindings } from "@access-bridge/remote-bindings";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { startLink } from "./link-process.js";
import { Caller, round } from "./measure.js";
import type { ProcessUsage } from "./topology.js";
import { benchService, processUsage, proxyServer, workerdPids } from "./topology.js";

const workersDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "workers");
const COMPATIBILITY_DATE = "2026-04-01";

export interface SoakOptions {
  minutes: number;
  dropEveryMinutes: number;
  concurrency: number;
  rttMs: number;
  /**
   * Also make the dependent chain, whose Counter stubs workerd never releases across a service
   * binding (fixtures/access-protected-remote-bindings/test/stub-release.test.ts): off by default,
   * so that the memory measured is the proxy client's, not that leak's.
   */
  stubs: boolean;
  /** How often resources are sampled. */
  sampleEverySeconds: number;
  log?: (line: string) => void;
}

export const SOAK: Omit<SoakOptions, "log"> = {
  minutes: 30,
  dropEveryMinutes: 5,
  concurrency: 8,
  rttMs: 10,
  stubs: false,
  sampleEverySeconds: 30,
};

/** A failure that ends this long after a drop belongs to the drop. */
export const DROP_WINDOW_MS = 5_000;

const MIX = [
  { call: "rpc", binding: "SOAK" },
  { call: "http", binding: "SOAK" },
  { call: "chain", binding: "SOAK" },
  { call: "d1", binding: "SOAK_DB" },
  { call: "kv", binding: "SOAK_KV" },
  { call: "r2small", binding: "SOAK_R2" },
] as const;

export interface SoakSample {
  atSeconds: number;
  calls: number;
  local?: ProcessUsage;
  remote?: ProcessUsage;
  linkConnections: number;
  /** Counters the remote service made, and those still live (see workers/rpc-service.js). */
  remoteCounters: { made: number; live: number };
}

export interface SoakResults {
  options: Omit<SoakOptions, "log">;
  startedAt: string;
  durationSeconds: number;
  node: string;
  calls: Record<string, { ok: number; failed: number }>;
  drops: number[];
  failuresInDropWindows: number;
  failuresOutsideDropWindows: number;
  firstFailuresOutside: string[];
  samples: SoakSample[];
}

async function startSoakRemote() {
  const before = workerdPids();
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      cf: false,
      host: "127.0.0.1",
      port: 0,
      workers: [
        // The bench's proxy server, with KV for the soak's mix and its one service.
        { ...proxyServer, serviceBindings: { API: "bench-service" }, kvNamespaces: ["KV"] },
        benchService("bench-service"),
      ],
    }),
  );
  const url = await mf.ready;
  const pids = [...workerdPids()].filter((pid) => !before.has(pid));
  const counters = async () => {
    const service = await mf.getWorker("bench-service");
    const response = await service.fetch("http://bench.example/counters");
    return (await response.json()) as { made: number; live: number };
  };
  return { mf, url, pids, counters };
}

async function startSoakLocal(linkUrl: string) {
  const remote = remoteBindings({
    remoteUrl: linkUrl,
    bindings: {
      SOAK: { type: "service", remoteName: "API" },
      SOAK_DB: { type: "d1", remoteName: "DB" },
      SOAK_KV: { type: "kv", remoteName: "KV" },
      SOAK_R2: { type: "r2", remoteName: "R2" },
    },
    credentials: null,
    onWarning: (message) => console.warn(message),
  });
  const before = workerdPids();
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      cf: false,
      host: "127.0.0.1",
      port: 0,
      workers: [
        remote.apply({
          name: "user-worker",
          modules: true,
          scriptPath: path.join(workersDir, "user-worker.js"),
          compatibilityDate: COMPATIBILITY_DATE,
        }),
        ...remote.workers,
      ],
    }),
  );
  const url = await mf.ready;
  return { mf, url, pids: [...workerdPids()].filter((pid) => !before.has(pid)) };
}

const firstLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split("\n")[0];

export async function runSoak(options: SoakOptions): Promise<SoakResults> {
  const log = options.log ?? (() => {});
  const startedAt = new Date().toISOString();
  const remote = await startSoakRemote();
  const link = await startLink({ target: remote.url.href, rttMs: options.rttMs });
  const local = await startSoakLocal(link.url);
  const caller = new Caller(() => local.url);
  const start = performance.now();
  const deadline = start + options.minutes * 60_000;
  const since = () => performance.now() - start;

  const mix = MIX.filter(({ call }) => options.stubs || call !== "chain");
  const calls = Object.fromEntries(mix.map(({ call }) => [call, { ok: 0, failed: 0 }]));
  const drops: number[] = [];
  const outside: string[] = [];
  let inWindows = 0;
  let outsideCount = 0;
  let total = 0;
  const inDropWindow = (at: number) =>
    drops.some((drop) => at >= drop && at <= drop + DROP_WINDOW_MS);

  const samples: SoakSample[] = [];
  const sample = async () => {
    const local_ = processUsage(local.pids);
    const remote_ = processUsage(remote.pids);
    samples.push({
      atSeconds: Math.round(since() / 1000),
      calls: total,
      ...(local_ === undefined ? {} : { local: local_ }),
      ...(remote_ === undefined ? {} : { remote: remote_ }),
      linkConnections: await link.openConnections(),
      remoteCounters: await remote.counters(),
    });
    const last = samples.at(-1)!;
    log(
      `${last.atSeconds} s: ${total} calls, ${outsideCount} failed outside drops, local ` +
        `${last.local?.rssMiB} MiB / ${last.local?.sockets} sockets, remote ` +
        `${last.remote?.rssMiB} MiB, link ${last.linkConnections}, counters live ` +
        `${last.remoteCounters.live} of ${last.remoteCounters.made}`,
    );
  };

  const timers = [
    setInterval(() => {
      drops.push(since());
      link.drop();
      log(`${Math.round(since() / 1000)} s: link dropped`);
    }, options.dropEveryMinutes * 60_000),
    setInterval(() => void sample(), options.sampleEverySeconds * 1000),
  ];
  await sample();
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < deadline) {
          const { call, binding } = mix[next++ % mix.length];
          try {
            await caller.call(call, binding);
            calls[call].ok++;
          } catch (error) {
            calls[call].failed++;
            if (inDropWindow(since())) inWindows++;
            else {
              outsideCount++;
              if (outside.length < 10) {
                outside.push(`${Math.round(since() / 1000)} s, ${call}: ${firstLine(error)}`);
              }
            }
          }
          total++;
        }
      }),
    );
  } finally {
    for (const timer of timers) clearInterval(timer);
  }
  await sample();
  await caller.close();
  await local.mf.dispose();
  await link.close();
  await remote.mf.dispose();
  return {
    options: {
      minutes: options.minutes,
      dropEveryMinutes: options.dropEveryMinutes,
      concurrency: options.concurrency,
      rttMs: options.rttMs,
      stubs: options.stubs,
      sampleEverySeconds: options.sampleEverySeconds,
    },
    startedAt,
    durationSeconds: Math.round(since() / 1000),
    node: process.version,
    calls,
    drops: drops.map((at) => round(at / 1000, 1)),
    failuresInDropWindows: inWindows,
    failuresOutsideDropWindows: outsideCount,
    firstFailuresOutside: outside,
    samples,
  };
}

/** The printed form: calls, failures against the drops, and how resources moved. */
export function formatSoak(results: SoakResults): string {
  const out: string[] = [];
  const { options } = results;
  out.push(
    `Soak: ${results.durationSeconds} s of mixed calls at concurrency ${options.concurrency}, ` +
      `RTT ${options.rttMs} ms, the link dropped every ${options.dropEveryMinutes} min ` +
      `(at ${results.drops.join(", ")} s).`,
  );
  for (const [call, { ok, failed }] of Object.entries(results.calls)) {
    out.push(`  ${call.padEnd(8)} ${ok} ok, ${failed} failed`);
  }
  out.push(
    `Failures within ${DROP_WINDOW_MS / 1000} s of a drop: ${results.failuresInDropWindows}; ` +
      `outside: ${results.failuresOutsideDropWindows}.`,
  );
  for (const failure of results.firstFailuresOutside) out.push(`  ${failure}`);
  // The first sample is taken before any call: resources are compared from the second on, once
  // the isolates, the session and the keep-alive pool exist.
  const warm = results.samples[Math.min(1, results.samples.length - 1)]!;
  const last = results.samples.at(-1)!;
  const max = (pick: (sample: SoakSample) => number | undefined) =>
    Math.max(...results.samples.slice(1).map((one) => pick(one) ?? 0));
  const row = (label: string, pick: (sample: SoakSample) => number | undefined) =>
    `  ${label.padEnd(28)} ${pick(warm)} → ${pick(last)} (max ${max(pick)})`;
  out.push(`Resources from ${warm.atSeconds} s to ${last.atSeconds} s:`);
  out.push(row("local workerd RSS MiB", (one) => one.local?.rssMiB));
  out.push(row("local workerd sockets", (one) => one.local?.sockets));
  out.push(row("remote workerd RSS MiB", (one) => one.remote?.rssMiB));
  out.push(row("remote workerd sockets", (one) => one.remote?.sockets));
  out.push(row("link connections", (one) => one.linkConnections));
  out.push(row("remote counters live", (one) => one.remoteCounters.live));
  return out.join("\n");
}
