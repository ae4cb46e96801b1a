// Entry of `npm run bench`: bundles the TypeScript bench for Node (esbuild, packages stay
// external) and runs it. The workspace packages it imports come from their built dist/.
// `npm run bench -- --startup` runs the start-up bench (src/startup.ts) instead.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const startup = process.argv.includes("--startup");
const outfile = path.join(benchDir, "dist", startup ? "startup.mjs" : "bench.mjs");
await build({
  entryPoints: [path.join(benchDir, "src", startup ? "startup.ts" : "main.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Every package stays external, workspace ones too: the root tsconfig's "paths" would
  // otherwise pull in their sources, which find their worker bundles relative to dist/.
  packages: "external",
  external: ["@access-bridge/*"],
  // Except the test support (the delay proxy), which has no dist: it is bundled from source.
  alias: { "@access-bridge/test-support": path.join(benchDir, "../packages/test-support/src") },
  logLevel: "warning",
});
const { status } = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], {
  stdio: "inherit",
});
process.exit(status ?? 1);
