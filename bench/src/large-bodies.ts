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
import { BODY_LABELS } from "./goals.js";
import { Caller, measureTime, median } from "./measure.js";
import type { Remotes } from "./topology.js";
import { resetPeakRss, rssOf, startLocal } from "./topology.js";

export interface LargeBodyResult {
  label: string;
  bytes: number;
  /** The median of the rounds. */
  seconds: number;
  secondsSamples: number[];
  rssBeforeMiB: number;
  peakMiB: number;
  /** Peak minus the RSS before (garbage included, see above); the round that peaked highest. */
  peakGrowthMiB: number;
  /** Reads: the RSS minus the RSS before, while the reader waits after the first MiB; the most of any round. */
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
  {
    label: BODY_LABELS.localR2Put,
    route: (_, key) => `/r2?binding=FLOOR_R2&key=${key}`,
    put: true,
  },
  { label: "floor: local R2 get", route: (_, key) => `/r2?binding=FLOOR_R2&key=${key}` },
  {
    label: BODY_LABELS.r2Put,
    route: (_, key) => `/r2?binding=PLAIN_R2&key=${key}`,
    put: true,
  },
  {
    label: BODY_LABELS.r2Get,
    route: (_, key) => `/r2?binding=PLAIN_R2&key=${key}`,
  },
  {
    label: BODY_LABELS.ai,
    route: (bytes) => `/ai?binding=PLAIN_AI&bytes=${bytes}`,
  },
  {
    label: BODY_LABELS.httpGet,
    route: (bytes) => `/bytes?binding=PLAIN&n=${bytes}`,
  },
  {
    label: BODY_LABELS.httpPut,
    route: () => `/bytes?binding=PLAIN`,
    put: true,
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

async function measureCase(
  remotes: Remotes,
  persist: string,
  { label, route, put = false }: Case,
  bytes: number,
): Promise<LargeBodyResult> {
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
    // The reader's pause is not the body's time.
    const seconds = Math.round((ms - (paused === undefined ? 0 : PAUSE_MS)) / 10) / 100;
    return {
      label,
      bytes,
      seconds,
      secondsSamples: [seconds],
      rssBeforeMiB: before,
      peakMiB,
      peakGrowthMiB: growth(peakMiB),
      ...(paused === undefined ? {} : { pausedGrowthMiB: growth(paused) }),
    };
  } finally {
    await caller.close();
    await local.dispose();
  }
}

/** The rounds of one case: the median time, and the most memory any round held. */
function combined(rounds: LargeBodyResult[]): LargeBodyResult {
  const most = (pick: (result: LargeBodyResult) => number | undefined) => {
    const values = rounds.map(pick).filter((value): value is number => value !== undefined);
    return values.length === 0 ? undefined : Math.max(...values);
  };
  const worst = rounds.reduce((a, b) => (b.peakGrowthMiB > a.peakGrowthMiB ? b : a));
  const paused = most((result) => result.pausedGrowthMiB);
  return {
    ...worst,
    seconds: Math.round(median(rounds.map((result) => result.seconds)) * 100) / 100,
    secondsSamples: rounds.map((result) => result.seconds),
    ...(paused === undefined ? {} : { pausedGrowthMiB: paused }),
  };
}

/**
 * `rounds` rounds of every case, interleaved so that the load of a shared machine hits the cases
 * alike; each case's time is the median of its rounds.
 */
export async function measureLargeBodies(
  remotes: Remotes,
  bytes: number,
  rounds = 1,
): Promise<LargeBodyResult[]> {
  const persist = mkdtempSync(path.join(tmpdir(), "access-bridge-bench-r2-"));
  const samples = CASES.map(() => [] as LargeBodyResult[]);
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [index, testCase] of CASES.entries()) {
        samples[index].push(await measureCase(remotes, persist, testCase, bytes));
      }
    }
  } finally {
    rmSync(persist, { recursive: true, force: true });
  }
  return samples.map(combined);
}
