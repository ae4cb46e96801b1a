// npm run bench [-- --quick] [--rtt 0,10] [--large-body-mib 50] [--cold-rounds 5] [--out bench/results.json]
// npm run bench -- --bodies [--large-body-mib 50] [--body-rounds 3]   (large bodies only)
// npm run bench -- --readme   (the README's Performance tables from bench/results.json)
// npm run bench -- --chain-split [--rtt 10] [--samples 150]   (where a warm call and the chain spend their time)
// npm run bench -- --soak [--soak-minutes 30] [--soak-stubs] [--out bench/soak-results.json]
//
// A full run (not --quick, default --out) writes bench/results.json and regenerates the README's
// Performance tables from it.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { goalsOf } from "./goals.js";
import { measureLargeBodies } from "./large-bodies.js";
import { regenerateReadme } from "./readme.js";
import { formatGoals, formatLargeBodies, formatReport } from "./report.js";
import { formatChainSplit, measureChainSplit } from "./chain-split.js";
import type { BenchResults } from "./run-bench.js";
import { FULL, QUICK, runBench } from "./run-bench.js";
import type { StartupResult } from "./startup.js";
import { startRemotes } from "./topology.js";
import { formatSoak, runSoak, SOAK } from "./soak.js";

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    rtt: { type: "string" },
    "large-body-mib": { type: "string" },
    out: { type: "string" },
    soak: { type: "boolean", default: false },
    "soak-minutes": { type: "string" },
    "soak-stubs": { type: "boolean", default: false },
    bodies: { type: "boolean", default: false },
    "body-rounds": { type: "string" },
    "cold-rounds": { type: "string" },
    readme: { type: "boolean", default: false },
    "chain-split": { type: "boolean", default: false },
    samples: { type: "string" },
  },
});

const readmePath = path.join(benchDir, "..", "README.md");
const defaultOut = path.join(benchDir, "results.json");
const startupPath = path.join(benchDir, "startup-results.json");
const startup = existsSync(startupPath)
  ? (JSON.parse(readFileSync(startupPath, "utf8")) as StartupResult[])
  : undefined;

async function writeReadme(results: BenchResults) {
  const missing = await regenerateReadme(readmePath, results, goalsOf(results, startup));
  console.error(
    `[bench] regenerated the README's Performance tables from ${path.relative(process.cwd(), defaultOut)}` +
      (missing.length > 0 ? `; no markers for: ${missing.join(", ")}` : ""),
  );
}

if (values.readme) {
  await writeReadme(JSON.parse(readFileSync(defaultOut, "utf8")) as BenchResults);
  process.exit(0);
}

if (values["chain-split"]) {
  const rtt = Number(values.rtt ?? 10);
  const samples = Number(values.samples ?? 150);
  if (!Number.isFinite(rtt) || rtt < 0 || !Number.isInteger(samples) || samples <= 0) {
    console.error(
      `--chain-split takes one --rtt in ms and --samples, e.g. --rtt 10 --samples 150.`,
    );
    process.exit(2);
  }
  console.log(formatChainSplit(await measureChainSplit(rtt, samples)));
  process.exit(0);
}

if (values.soak) {
  const minutes = Number(values["soak-minutes"] ?? SOAK.minutes);
  if (!Number.isFinite(minutes) || minutes <= 0) {
    console.error(`--soak-minutes takes minutes, e.g. 30; got "${values["soak-minutes"]}".`);
    process.exit(2);
  }
  const out = values.out ?? path.join(benchDir, "soak-results.json");
  const results = await runSoak({
    ...SOAK,
    minutes,
    stubs: values["soak-stubs"],
    dropEveryMinutes: Math.min(SOAK.dropEveryMinutes, minutes / 2),
    log: (line) => console.error(`[soak] ${line}`),
  });
  console.log(formatSoak(results));
  writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
  console.error(`[soak] wrote ${path.relative(process.cwd(), out)}`);
  process.exit(results.failuresOutsideDropWindows === 0 ? 0 : 1);
}

const base = values.quick ? QUICK : FULL;

if (values.bodies) {
  const mib = Number(values["large-body-mib"] ?? base.largeBodyBytes / 1024 / 1024);
  const rounds = Number(values["body-rounds"] ?? base.largeBodyRounds);
  const remotes = await startRemotes(0);
  try {
    const bodies = await measureLargeBodies(remotes, Math.round(mib * 1024 * 1024), rounds);
    console.log(formatLargeBodies(bodies));
    const results = { runs: [{ rttMs: 0, measuredRttMs: 0, largeBodies: bodies }] };
    console.log("\n" + formatGoals(goalsOf(results as unknown as BenchResults)));
  } finally {
    await remotes.close();
  }
  process.exit(0);
}

const rtts = values.rtt === undefined ? base.rtts : values.rtt.split(",").map(Number);
if (rtts.some((rtt) => !Number.isFinite(rtt) || rtt < 0)) {
  console.error(`--rtt takes round-trip times in ms, e.g. --rtt 0,10; got "${values.rtt}".`);
  process.exit(2);
}
const largeBodyMiB = Number(values["large-body-mib"] ?? base.largeBodyBytes / 1024 / 1024);
if (!Number.isFinite(largeBodyMiB) || largeBodyMiB <= 0) {
  console.error(
    `--large-body-mib takes a size in MiB, e.g. 50; got "${values["large-body-mib"]}".`,
  );
  process.exit(2);
}
const coldRounds = Number(values["cold-rounds"] ?? base.coldRounds);
if (!Number.isInteger(coldRounds) || coldRounds < 1) {
  console.error(
    `--cold-rounds takes how many fresh starts time the first calls, e.g. 5; got "${values["cold-rounds"]}".`,
  );
  process.exit(2);
}
const results = await runBench({
  ...base,
  rtts,
  coldRounds,
  largeBodyBytes: Math.round(largeBodyMiB * 1024 * 1024),
  log: (line) => console.error(`[bench] ${line}`),
});
console.log(formatReport(results, goalsOf(results, startup)));
const out = values.out ?? defaultOut;
writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
console.error(`[bench] wrote ${path.relative(process.cwd(), out)}`);
if (!values.quick && out === defaultOut) await writeReadme(results);
