// npm run bench [-- --quick] [--rtt 0,10] [--large-body-mib 50] [--out bench/results.json]
// npm run bench -- --soak [--soak-minutes 30] [--soak-stubs] [--out bench/soak-results.json]
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatReport } from "./report.js";
import { FULL, QUICK, runBench } from "./run-bench.js";
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
  },
});

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
const results = await runBench({
  ...base,
  rtts,
  largeBodyBytes: Math.round(largeBodyMiB * 1024 * 1024),
  log: (line) => console.error(`[bench] ${line}`),
});
console.log(formatReport(results));
const out = values.out ?? path.join(benchDir, "results.json");
writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
console.error(`[bench] wrote ${path.relative(process.cwd(), out)}`);
