// Large values through remote bindings: does the client side (the local workerd, which runs the
// user worker, the facades and the proxy client) hold a 50 MB body whole, or stream it? Each case
// gets a fresh local workerd (memory freed by an earlier case would otherwise be reused unseen)
// and warms the path up with a small body first.
//
// The peak RSS alone cannot tell: the chunks a stream leaves behind are garbage that V8 collects
// late, so even a stream made and sent inside one worker raises the peak by about 50 MB (and by
// about 70 MB for 200 MB: it levels off, where a body held whole would not). So for reads the
// reader also stops after the first MiB and the RSS is read while it waits: with backpressure end
// to end the remote stops sending and the RSS stays within a few MB; a body held whole (or
// buffered anywhere on the client side) shows up as live memory of about its size.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Caller, measureTime } from "./measure.js";
import type { Remotes } from "./topology.js";
import { resetPeakRss, rssOf, startLocal } from "./topology.js";

export interface LargeBodyResult {
  label: string;
  bytes: number;
  seconds: number;
  rssBeforeMiB: number;
  peakMiB: number;
  /** Peak minus the RSS before (garbage included, see above). */
  peakGrowthMiB: number;
  /** Reads: the RSS minus the RSS before, while the reader waits after the first MiB. */
  pausedGrowthMiB?: number;
}

const PAUSE_AFTER = 1024 * 1024;
const PAUSE_MS = 2000;

/** `total` bytes in 64 KiB chunks, made as they are sent. */
async function* generated(total: number): AsyncIterable<Uint8Array> {
  const chunk = new Uint8Array(64 * 1024).fill(7);
  for (let sent = 0; sent < total; sent += chunk.length) {
    yield sent + chunk.length <= total ? chunk : chunk.subarray(0, total - sent);
  }
}

interface Case {
  label: string;
  /** The route for a body of `bytes`, under `key` for R2. */
  route(bytes: number, key: string): string;
  put?: boolean;
}

const SMALL = 64 * 1024;

// Each get reads the object its put stored: the puts come first.
const CASES: Case[] = [
  {
    label: "floor: a body streamed by a local service binding",
    route: (bytes) => `/bytes?binding=FLOOR&n=${bytes}`,
  },
  { label: "floor: local R2 put", route: (_, key) => `/r2?binding=FLOOR_R2&key=${key}`, put: true },
  { label: "floor: local R2 get", route: (_, key) => `/r2?binding=FLOOR_R2&key=${key}` },
  {
    label: "R2 put (a stream) through the proxy client",
    route: (_, key) => `/r2?binding=PLAIN_R2&key=${key}`,
    put: true,
  },
  {
    label: "R2 get through the proxy client",
    route: (_, key) => `/r2?binding=PLAIN_R2&key=${key}`,
  },
  {
    label: "AI run, stream: true, through the proxy client",
    route: (bytes) => `/ai?binding=PLAIN_AI&bytes=${bytes}`,
  },
  {
    label: "HTTP response body through the proxy client",
    route: (bytes) => `/bytes?binding=PLAIN&n=${bytes}`,
  },
];

async function pass(
  caller: Caller,
  route: string,
  bytes: number,
  put: boolean,
  pause?: () => Promise<void>,
) {
  const passed = await caller.stream(
    route,
    put
      ? { method: "PUT", body: generated(bytes), length: bytes }
      : pause === undefined
        ? {}
        : { pause: { after: PAUSE_AFTER, run: pause } },
  );
  if (passed !== bytes) throw new Error(`${route}: ${passed} bytes passed, not ${bytes}`);
}

export async function measureLargeBodies(
  remotes: Remotes,
  bytes: number,
): Promise<LargeBodyResult[]> {
  const persist = mkdtempSync(path.join(tmpdir(), "access-bridge-bench-r2-"));
  const results: LargeBodyResult[] = [];
  try {
    for (const { label, route, put = false } of CASES) {
      const local = await startLocal(remotes, { r2Persist: persist });
      const caller = new Caller(local.urlFor);
      try {
        const pids = local.pidsFor("PLAIN");
        await pass(caller, route(SMALL, "small"), SMALL, put);
        resetPeakRss(pids);
        const before = rssOf(pids).rssMiB;
        let paused: number | undefined;
        const { ms } = await measureTime(() =>
          pass(caller, route(bytes, "large"), bytes, put, async () => {
            await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
            paused = rssOf(pids).rssMiB;
          }),
        );
        const { peakMiB } = rssOf(pids);
        const growth = (value: number) => Math.round((value - before) * 10) / 10;
        results.push({
          label,
          bytes,
          // The reader's pause is not the body's time.
          seconds: Math.round((ms - (paused === undefined ? 0 : PAUSE_MS)) / 10) / 100,
          rssBeforeMiB: before,
          peakMiB,
          peakGrowthMiB: growth(peakMiB),
          ...(paused === undefined ? {} : { pausedGrowthMiB: growth(paused) }),
        });
      } finally {
        await caller.close();
        await local.dispose();
      }
    }
  } finally {
    rmSync(persist, { recursive: true, force: true });
  }
  return results;
}
