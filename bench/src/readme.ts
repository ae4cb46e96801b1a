// Regenerates the README's Performance tables from a run's results: each table sits between
// `<!-- bench:<name> -->` and `<!-- /bench:<name> -->`, and nothing outside the markers changes.
// The README then goes through prettier, as `npm run check` would have it.
import { readFileSync, writeFileSync } from "node:fs";
import type { GoalRow } from "./goals.js";
import { goalsTable } from "./goals.js";
import { largeBodiesTable, table } from "./report.js";
import type { BenchResults } from "./run-bench.js";
import { SCENARIOS } from "./topology.js";

function callsTable(results: BenchResults): string {
  const run = results.runs.reduce((a, b) => (b.rttMs > a.rttMs ? b : a));
  const concurrencies = results.options.concurrencies;
  const rows = [
    [
      "scenario",
      "path",
      "p50 ms",
      "p95 ms",
      "first call ms",
      ...concurrencies.map((c, i) => (i === 0 ? `calls/s c=${c}` : `c=${c}`)),
    ],
  ];
  for (const { id, label, paths } of SCENARIOS) {
    for (const path of paths) {
      const result = run.scenarios[id][path]!;
      rows.push([
        label,
        path,
        result.p50.toFixed(2),
        result.p95.toFixed(2),
        result.firstCallMs.toFixed(2),
        ...concurrencies.map((c) => String(result.callsPerSecond?.[c] ?? "–")),
      ]);
    }
  }
  return (
    `RTT ${run.rttMs} ms, which the delay proxy measured as ${run.measuredRttMs} ms; run of ` +
    `${results.startedAt.slice(0, 16).replace("T", " ")} UTC, ${results.cpus} CPUs, Node ` +
    `${results.node}, ${results.options.samples} sequential calls per scenario and path:\n\n` +
    table(rows)
  );
}

function roundTripsTable(results: BenchResults): string {
  const rows = [["call", "RTT ms", "(2) no Access", "(3) Access", "(4) hop", "target"]];
  const trio = (values: Partial<Record<string, number>> | undefined) =>
    ["plain", "access", "hop"].map((id) => values?.[id]?.toFixed(2) ?? "–");
  for (const ratio of results.ratios) {
    if (ratio.roundTripsPerCall === undefined) continue;
    rows.push([
      ratio.path === "rpc" ? "RPC `echo`" : "HTTP `fetch`",
      String(ratio.rttMs),
      ...trio(ratio.roundTripsPerCall),
      ratio.path === "rpc" ? "≤ 1.15 for (2)" : "≤ 1.2 for (2)",
    ]);
  }
  for (const extra of results.extraRatios) {
    rows.push([
      "chain `getCounter().increment()`",
      String(extra.rttMs),
      ...trio(extra.chainRoundTrips),
      "≤ 1.15 for (2)",
    ]);
    rows.push([
      "two sequential RPC calls",
      String(extra.rttMs),
      ...trio(extra.twoCallRoundTrips),
      "",
    ]);
    rows.push([
      "D1 `prepare().bind().first()`",
      String(extra.rttMs),
      extra.d1RoundTrips.toFixed(2),
      "–",
      "–",
      "≤ 1.2",
    ]);
  }
  return table(rows);
}

export async function regenerateReadme(
  readmePath: string,
  results: BenchResults,
  goals: GoalRow[],
): Promise<string[]> {
  const blocks: Record<string, string> = {
    goals: table(goalsTable(goals)),
    calls: callsTable(results),
    "round-trips": roundTripsTable(results),
  };
  const bodies = results.runs.flatMap((run) => run.largeBodies ?? []);
  if (bodies.length > 0) blocks.bodies = table(largeBodiesTable(bodies));
  let text = readFileSync(readmePath, "utf8");
  const missing: string[] = [];
  for (const [name, content] of Object.entries(blocks)) {
    const open = `<!-- bench:${name} -->`;
    const close = `<!-- /bench:${name} -->`;
    const start = text.indexOf(open);
    const end = text.indexOf(close);
    if (start === -1 || end < start) {
      missing.push(name);
      continue;
    }
    text = `${text.slice(0, start + open.length)}\n\n${content}\n\n${text.slice(end)}`;
  }
  const prettier = await import("prettier");
  const options = (await prettier.resolveConfig(readmePath)) ?? {};
  writeFileSync(readmePath, await prettier.format(text, { ...options, filepath: readmePath }));
  return missing;
}
