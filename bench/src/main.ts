// npm run bench [-- --quick] [--rtt 0,10] [--large-body-mib 50] [--out bench/results.json]
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatReport } from "./report.js";
import { FULL, QUICK, runBench } from "./run-bench.js";

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    rtt: { type: "string" },
    "large-body-mib": { type: "string" },
    out: { type: "string", default: path.join(benchDir, "results.json") },
  },
});

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
writeFileSync(values.out, JSON.stringify(results, null, 2) + "\n");
console.error(`[bench] wrote ${path.relative(process.cwd(), values.out)}`);
