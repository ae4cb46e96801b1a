// The printed form of a run: one table per round-trip time, the resources after many calls, and
// the ratios the targets are read from.
import type { GoalRow } from "./goals.js";
import { goalsTable } from "./goals.js";
import type { LargeBodyResult } from "./large-bodies.js";
import type { BenchResults } from "./run-bench.js";
import { SCENARIOS } from "./topology.js";

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) =>
    "| " + row.map((cell, column) => cell.padEnd(widths[column])).join(" | ") + " |";
  const rule = "| " + widths.map((width) => "-".repeat(width)).join(" | ") + " |";
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join("\n");
}

const ms = (value: number) => value.toFixed(2);
// Issue 9 §3: warm calls with no Access, in round trips of the emulated network.
const TRIPS_TARGET: Record<string, number> = { rpc: 1.15, http: 1.2 };
const CHAIN_TARGET = 1;
const D1_TARGET = 1.2;
const target = (ok: boolean) => (ok ? "meets target" : "MISSES target");

/** The large bodies' table: time (median of the rounds) and what the local workerd held. */
export function largeBodiesTable(bodies: LargeBodyResult[]): string[][] {
  return [
    ["case", "seconds", "MB/s", "peak − before MiB", "reader paused: RSS − before MiB"],
    ...bodies.map((body) => [
      body.label,
      body.seconds.toFixed(2),
      (body.bytes / 1e6 / body.seconds).toFixed(0),
      body.peakGrowthMiB.toFixed(1),
      body.pausedGrowthMiB?.toFixed(1) ?? "-",
    ]),
  ];
}

export function formatLargeBodies(bodies: LargeBodyResult[]): string {
  const mib = Math.round(bodies[0].bytes / 1024 / 1024);
  const rounds = bodies[0].secondsSamples.length;
  return (
    `Large bodies: one ${mib} MiB body at a time, RTT 0, a fresh local workerd each, ` +
    `${rounds} round${rounds === 1 ? "" : "s"} (seconds: the median)\n` +
    table(largeBodiesTable(bodies))
  );
}

export function formatGoals(goals: GoalRow[]): string {
  const missed = goals.filter((goal) => !goal.met).length;
  return (
    `Goals (issue 23), each against its floor in this run: ` +
    `${goals.length - missed} met, ${missed} missed\n` +
    table(goalsTable(goals))
  );
}

export function formatReport(results: BenchResults, goals: GoalRow[]): string {
  const out: string[] = [];
  const concurrencies = results.options.concurrencies;
  for (const run of results.runs) {
    out.push(
      `\nRTT ${run.rttMs} ms` +
        (run.rttMs > 0 ? ` (the delay proxy measured ${ms(run.measuredRttMs)} ms)` : ""),
    );
    const header = [
      "scenario",
      "path",
      "p50 ms",
      "p95 ms",
      "first call ms",
      ...concurrencies.map((c) => `calls/s c=${c}`),
    ];
    const rows = [header];
    for (const { id, label, paths } of SCENARIOS) {
      for (const path of paths) {
        const result = run.scenarios[id][path]!;
        rows.push([
          label,
          path,
          ms(result.p50),
          ms(result.p95),
          ms(result.firstCallMs),
          ...concurrencies.map((c) => String(result.callsPerSecond?.[c] ?? "-")),
        ]);
      }
    }
    out.push(table(rows));
    for (const { id, label, paths } of SCENARIOS) {
      for (const path of paths) {
        const { failedCalls, firstError } = run.scenarios[id][path]!;
        if (failedCalls > 0) {
          out.push(`${label}, ${path}: ${failedCalls} calls failed, the first with ${firstError}`);
        }
      }
    }

    const usageRows = [
      [
        "scenario",
        "calls",
        "local workerd RSS MiB",
        "local sockets",
        "remote workerd RSS MiB",
        "remote sockets",
        "network connections",
      ],
    ];
    for (const { id, label } of SCENARIOS) {
      const { calls, before, after } = run.resources[id];
      const pair = (a: number | undefined, b: number | undefined) =>
        a === undefined && b === undefined ? "-" : `${a ?? "n/a"} → ${b ?? "n/a"}`;
      usageRows.push([
        label,
        calls.failed === 0 ? String(calls.ok) : `${calls.ok} ok, ${calls.failed} failed`,
        pair(before.local?.rssMiB, after.local?.rssMiB),
        pair(before.local?.sockets, after.local?.sockets),
        pair(before.remote?.rssMiB, after.remote?.rssMiB),
        pair(before.remote?.sockets, after.remote?.sockets),
        pair(before.networkConnections, after.networkConnections),
      ]);
    }
    out.push(table(usageRows));
    const left = Object.entries(run.openAfterDispose)
      .map(([id, open]) => `${id} ${open}`)
      .join(", ");
    out.push(`Connections left open once the local Miniflare was disposed: ${left}.`);
    for (const { id, label } of SCENARIOS) {
      const { firstError } = run.resources[id].calls;
      if (firstError !== undefined) out.push(`${label}: first failure at ${firstError}`);
    }
  }

  out.push("\nRatios (p50)");
  const ratioRows = [
    [
      "RTT ms",
      "path",
      "client auth cost (2b)/(2)",
      "auth overhead (3)/(2)",
      "net of emulator",
      "hop cost (4)/(3)",
      "round trips per call (2) / (3) / (4)",
    ],
  ];
  for (const ratio of results.ratios) {
    const trips = ratio.roundTripsPerCall;
    ratioRows.push([
      String(ratio.rttMs),
      ratio.path,
      `${ratio.clientAuthCost.toFixed(3)}×`,
      `${ratio.authOverhead.toFixed(3)}× (${target(ratio.authOverhead <= 1.05)} ≤ 1.05)`,
      ratio.authOverheadNetOfEmulator === undefined
        ? "-"
        : `${ratio.authOverheadNetOfEmulator.toFixed(3)}×`,
      `${ratio.hopCost.toFixed(3)}×`,
      trips
        ? `${trips.plain.toFixed(2)} / ${trips.access.toFixed(2)} / ${trips.hop.toFixed(2)}` +
          ` (${target(trips.plain <= TRIPS_TARGET[ratio.path])} ≤ ${TRIPS_TARGET[ratio.path]} for (2))`
        : "-",
    ]);
  }
  out.push(table(ratioRows));
  if (results.extraRatios.length > 0) {
    out.push("\nRound trips (p50) of the dependent chain getCounter().increment() and of D1");
    const extraRows = [
      [
        "RTT ms",
        "chain (2) / (3) / (4)",
        "two sequential RPC calls (2) / (3) / (4)",
        "D1 prepare().bind().first() (2)",
      ],
    ];
    const trio = (values: Partial<Record<string, number>>) =>
      ["plain", "access", "hop"].map((id) => values[id]?.toFixed(2) ?? "-").join(" / ");
    for (const extra of results.extraRatios) {
      extraRows.push([
        String(extra.rttMs),
        `${trio(extra.chainRoundTrips)} (${target((extra.chainRoundTrips.plain ?? Infinity) <= CHAIN_TARGET * 1.15)} ≈ ${CHAIN_TARGET} for (2))`,
        trio(extra.twoCallRoundTrips),
        `${extra.d1RoundTrips.toFixed(2)} (${target(extra.d1RoundTrips <= D1_TARGET)} ≤ ${D1_TARGET})`,
      ]);
    }
    out.push(table(extraRows));
  }

  const largeBodies = results.runs.flatMap((run) => run.largeBodies ?? []);
  if (largeBodies.length > 0) out.push("\n" + formatLargeBodies(largeBodies));

  const cost = results.emulatorCost;
  out.push(
    `\nThe Access emulator's own cost per gated request (Node → proxy server, straight vs through ` +
      `the emulator, no delay): ${ms(cost.directP50Ms)} vs ${ms(cost.throughEmulatorP50Ms)} ms ` +
      `p50, +${ms(cost.perRequestMs)} ms. "Net of emulator" takes it off (3).` +
      (cost.firstRequest === undefined
        ? ""
        : ` The first request of each (one sample): ${ms(cost.firstRequest.directMs)} vs ` +
          `${ms(cost.firstRequest.throughEmulatorMs)} ms, +${ms(
            cost.firstRequest.throughEmulatorMs - cost.firstRequest.directMs,
          )} ms.`),
  );
  out.push("\n" + formatGoals(goals));
  out.push(
    `\nRound trips per call = (p50 − floor p50) / measured RTT. ${results.cpus} CPUs, Node ` +
      `${results.node}, ${results.durationSeconds} s.`,
  );
  return out.join("\n");
}
