// The goals of issue 23, each read from one run as a ratio against its floor or anchor (measured
// in the same run, so that the load of a shared machine hits both alike), and whether it is met.
// The start-up goal comes from the separate start-up run (`--startup`), when there is one.
import type { LargeBodyResult } from "./large-bodies.js";
import { median } from "./measure.js";
import type { BenchResults } from "./run-bench.js";
import type { StartupResult } from "./startup.js";

export interface GoalRow {
  what: string;
  /** What was measured, with its unit. */
  measured: string;
  /** The floor or anchor it is read against, measured in the same run. */
  anchor: string;
  /**
   * Measured against the anchor: throughput as a fraction of the anchor's, anything else as
   * a multiple of it (round trips, MiB held, start-up time).
   */
  ratio: number;
  goal: string;
  met: boolean;
}

/** Bodies through the proxy client, in the same run as the HTTP body they are compared with. */
export const BODY_LABELS = {
  httpGet: "HTTP response body through the proxy client",
  httpPut: "HTTP request body (PUT) through the proxy client",
  r2Get: "R2 get through the proxy client",
  r2Put: "R2 put (a stream) through the proxy client",
  ai: "AI run, stream: true, through the proxy client",
  localR2Put: "floor: local R2 put",
} as const;

const THROUGHPUT_GOAL = 0.75;
const HELD_GOAL_MIB = 4;
const CHAIN_GOAL = 1.15;
const COLD_GOAL = { plain: 3.2, access: 3.3 };
const COLD_FLOOR_TRIPS = 3;
const STARTUP_GOAL = 1.2;

const fixed = (value: number, digits = 2) => value.toFixed(digits);

function bodyGoals(bodies: LargeBodyResult[]): GoalRow[] {
  const find = (label: string) => bodies.find((body) => body.label === label);
  const rows: GoalRow[] = [];
  const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;
  const throughputRow = (what: string, label: string, anchorLabel: string) => {
    const body = find(label);
    const anchor = find(anchorLabel);
    if (body === undefined || anchor === undefined) return;
    const ratio = anchor.seconds / body.seconds;
    rows.push({
      what: `${what}, ${mib(body.bytes)}: throughput`,
      measured: `${fixed(body.seconds)} s`,
      anchor: `${anchor.label.replace(" through the proxy client", "").replace("floor: ", "")}: ${fixed(anchor.seconds)} s`,
      ratio,
      goal: `≥ ${THROUGHPUT_GOAL}×`,
      met: ratio >= THROUGHPUT_GOAL,
    });
  };
  const heldRow = (what: string, label: string) => {
    const body = find(label);
    const anchor = find(BODY_LABELS.httpGet);
    if (body?.pausedGrowthMiB === undefined) return;
    rows.push({
      what: `${what}: held while the reader pauses`,
      measured: `${fixed(body.pausedGrowthMiB, 1)} MiB`,
      anchor:
        anchor?.pausedGrowthMiB === undefined
          ? "-"
          : `HTTP: ${fixed(anchor.pausedGrowthMiB, 1)} MiB`,
      // Against what the HTTP path holds (at least 0.1 MiB: a reading of 0 is noise).
      ratio: body.pausedGrowthMiB / Math.max(0.1, anchor?.pausedGrowthMiB ?? HELD_GOAL_MIB),
      goal: `≤ ${HELD_GOAL_MIB} MiB`,
      met: body.pausedGrowthMiB <= HELD_GOAL_MIB,
    });
  };
  throughputRow("R2 get", BODY_LABELS.r2Get, BODY_LABELS.httpGet);
  heldRow("R2 get", BODY_LABELS.r2Get);
  throughputRow("R2 put (a stream of known length)", BODY_LABELS.r2Put, BODY_LABELS.httpPut);
  // The remote's R2 is Miniflare's, whose own write speed may bound a put below HTTP's.
  throughputRow("R2 put, against R2's own write", BODY_LABELS.r2Put, BODY_LABELS.localR2Put);
  throughputRow("AI run, stream: true", BODY_LABELS.ai, BODY_LABELS.httpGet);
  heldRow("AI run, stream: true", BODY_LABELS.ai);
  return rows;
}

export function goalsOf(results: BenchResults, startup?: StartupResult[]): GoalRow[] {
  const rows = bodyGoals(results.runs.flatMap((run) => run.largeBodies ?? []));
  const timed = results.runs.filter((run) => run.measuredRttMs > 0);
  for (const run of timed) {
    const extra = results.extraRatios.find((ratios) => ratios.rttMs === run.rttMs);
    const chain = extra?.chainRoundTrips.plain;
    if (chain !== undefined) {
      rows.push({
        what: `dependent chain getCounter().increment(), RTT ${run.rttMs} ms`,
        measured: `${fixed(chain)} RTT`,
        anchor: `1 RTT (two sequential calls: ${fixed(extra!.twoCallRoundTrips.plain ?? NaN)})`,
        ratio: chain,
        goal: `≤ ${CHAIN_GOAL} RTT`,
        met: chain <= CHAIN_GOAL,
      });
    }
    // Each cold round's first call less the floor's first call in the same round: the median of
    // those differences, so that a round whose machine was busy moves both alike.
    const floorFirst = run.scenarios.floor.rpc!;
    for (const id of ["plain", "access"] as const) {
      const first = run.scenarios[id].rpc;
      if (first === undefined) continue;
      const samples = first.firstCallSamplesMs ?? [first.firstCallMs];
      const floorSamples = floorFirst.firstCallSamplesMs ?? [floorFirst.firstCallMs];
      const above = median(samples.map((ms, round) => ms - floorSamples[round]!));
      const trips = above / run.measuredRttMs;
      const rounds = samples.length === 1 ? "" : `, median of ${samples.length} cold starts`;
      rows.push({
        what: `first RPC call on a cold binding${id === "access" ? ", through Access" : ""}, RTT ${run.rttMs} ms`,
        measured: `${fixed(trips)} RTT (${fixed(first.firstCallMs)} ms${rounds})`,
        anchor: `${COLD_FLOOR_TRIPS} RTT: connect, upgrade, call`,
        ratio: trips / COLD_FLOOR_TRIPS,
        goal: `≤ ${COLD_GOAL[id]} RTT`,
        met: trips <= COLD_GOAL[id],
      });
    }
  }
  for (const result of startup ?? []) {
    const ratio = result.ratios["dev, embedded"];
    rows.push({
      what: `access-bridge dev start-up to a first KV call, embedded remote, ${result.bindings} binding${result.bindings === 1 ? "" : "s"} (--startup run)`,
      measured: `${result.medianMs["dev, embedded"]} ms`,
      anchor: `wrangler dev: ${result.medianMs.wrangler} ms`,
      ratio,
      goal: `≤ ${STARTUP_GOAL}×`,
      met: ratio <= STARTUP_GOAL,
    });
  }
  return rows;
}

export function goalsTable(rows: GoalRow[]): string[][] {
  return [
    ["goal", "measured", "floor / anchor, same run", "ratio", "goal", ""],
    ...rows.map((row) => [
      row.what,
      row.measured,
      row.anchor,
      `${fixed(row.ratio)}×`,
      row.goal,
      row.met ? "met" : "MISS",
    ]),
  ];
}
