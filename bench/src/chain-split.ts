// npm run bench -- --chain-split [--rtt 10] [--samples 150]
// Where a warm call and the dependent chain spend their time, in one run: each call's start and
// end against the chunks at the link's local end (the delay proxy runs in this process, on the
// same clock). "out" is the request to the first chunk on the link, "back" the last chunk off it
// to the response, and "link" the rest: the network, the remote's work, and how far apart the
// local side wrote what the remote waits for.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { remoteBindings } from "@access-bridge/remote-bindings";
import {
  measureRtt,
  startDelayProxy,
  type LinkChunk,
} from "@access-bridge/test-support/delay-proxy";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { Caller, median, round } from "./measure.js";
import { benchService, proxyServer } from "./topology.js";

const workersDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "workers");
const PATHS = ["rpc", "chain"] as const;

export interface SplitRow {
  path: (typeof PATHS)[number];
  floorP50: number;
  p50: number;
  /** Medians over the remote calls, ms. */
  out: number;
  link: number;
  back: number;
}

export interface ChainSplit {
  rttMs: number;
  measuredRttMs: number;
  samples: number;
  rows: SplitRow[];
}

const medianMs = (values: number[]) => round(median(values));

export async function measureChainSplit(rttMs: number, samples: number): Promise<ChainSplit> {
  const measuredRttMs = round(await measureRtt(rttMs));
  const remote = new Miniflare(
    convertV4MiniflareOptions({
      cf: false,
      host: "127.0.0.1",
      port: 0,
      workers: [proxyServer, benchService("bench-service")],
    }),
  );
  const chunks: LinkChunk[] = [];
  const link = await startDelayProxy(await remote.ready, rttMs, {
    onChunk: (chunk) => chunks.push(chunk),
  });
  const plain = remoteBindings({
    remoteUrl: link.url,
    bindings: { PLAIN: { type: "service", remoteName: "API" } },
    credentials: null,
    onWarning: (message) => console.warn(message),
  });
  const local = new Miniflare(
    convertV4MiniflareOptions({
      cf: false,
      host: "127.0.0.1",
      port: 0,
      workers: [
        plain.apply({
          name: "user-worker",
          modules: true,
          scriptPath: path.join(workersDir, "user-worker.js"),
          compatibilityDate: "2026-04-01",
          serviceBindings: { FLOOR: "bench-service" },
        }),
        benchService("bench-service"),
        ...plain.workers,
      ],
    }),
  );
  const url = await local.ready;
  const caller = new Caller(() => url);
  try {
    const floor = new Map<string, number[]>(PATHS.map((p) => [p, []]));
    const parts = new Map<string, { total: number[]; out: number[]; back: number[] }>(
      PATHS.map((p) => [p, { total: [], out: [], back: [] }]),
    );
    for (const p of PATHS) for (const binding of ["FLOOR", "PLAIN"]) await caller.call(p, binding);
    for (let i = 0; i < samples; i++) {
      for (const p of PATHS) {
        floor.get(p)!.push(await caller.call(p, "FLOOR"));
        chunks.length = 0;
        const start = performance.now();
        const total = await caller.call(p, "PLAIN");
        const end = performance.now();
        const during = chunks.filter(({ at }) => at >= start && at <= end);
        const firstOut = during.find(({ direction }) => direction === "toRemote");
        const lastBack = during.findLast(({ direction }) => direction === "fromRemote");
        if (firstOut === undefined || lastBack === undefined) continue;
        const part = parts.get(p)!;
        part.total.push(total);
        part.out.push(firstOut.at - start);
        part.back.push(end - lastBack.at);
      }
    }
    const rows = PATHS.map((p): SplitRow => {
      const part = parts.get(p)!;
      const out = medianMs(part.out);
      const back = medianMs(part.back);
      const p50 = medianMs(part.total);
      return {
        path: p,
        floorP50: medianMs(floor.get(p)!),
        p50,
        out,
        back,
        link: round(p50 - out - back),
      };
    });
    return { rttMs, measuredRttMs, samples, rows };
  } finally {
    await caller.close();
    await local.dispose();
    await link.close();
    await remote.dispose();
  }
}

export function formatChainSplit(split: ChainSplit): string {
  const lines = [
    `RTT ${split.rttMs} ms (measured ${split.measuredRttMs} ms), ${split.samples} calls per path, ` +
      `interleaved with the floor's; medians in ms:`,
    "",
    "| path  | floor p50 | p50   | out  | link  | back | round trips |",
    "| ----- | --------- | ----- | ---- | ----- | ---- | ----------- |",
  ];
  for (const row of split.rows) {
    const trips =
      split.measuredRttMs > 0 ? round((row.p50 - row.floorP50) / split.measuredRttMs) : "-";
    lines.push(
      `| ${row.path.padEnd(5)} | ${row.floorP50} | ${row.p50} | ${row.out} | ${row.link} | ${row.back} | ${trips} |`,
    );
  }
  return lines.join("\n");
}
