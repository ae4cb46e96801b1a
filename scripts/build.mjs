// The one build step: bundles every `src/workers/**/*.worker.ts` of every package for workerd,
// then compiles each package's Node side with tsc. Worker bundles land in
// `<package>/dist/workers/<name>.worker.js`, where the Node side loads them from.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const packagesDir = path.join(root, "packages");

function findWorkerEntries(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".worker.ts"))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

// Packages build after the workspace packages they depend on: tsc reads those from dist.
function inDependencyOrder(dirs) {
  const manifests = new Map(
    dirs.map((dir) => [JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).name, dir]),
  );
  const ordered = [];
  const visit = (name) => {
    const dir = manifests.get(name);
    if (dir === undefined || ordered.includes(dir)) return;
    const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency);
    ordered.push(dir);
  };
  for (const name of manifests.keys()) visit(name);
  return ordered;
}

// The options live in @access-bridge/conventions, which has no Workers, and on which every package
// with Workers depends: it builds before them, and their bundles read the options from its dist.
let bundleOptions;
async function workerBundleOptions() {
  bundleOptions ??= (await import("@access-bridge/conventions")).WORKER_BUNDLE_OPTIONS;
  return bundleOptions;
}

const packages = inDependencyOrder(
  readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(packagesDir, entry.name)),
);

for (const packageDir of packages) {
  const entries = findWorkerEntries(path.join(packageDir, "src", "workers"));
  if (entries.length > 0) {
    await build({
      entryPoints: entries,
      outdir: path.join(packageDir, "dist", "workers"),
      // Flat output: each bundle is named after its entry, so the Node side finds it by name.
      entryNames: "[name]",
      ...(await workerBundleOptions()),
      sourcemap: "inline",
      logLevel: "warning",
    });
  }
  const tsconfig = path.join(packageDir, "tsconfig.build.json");
  if (existsSync(tsconfig) && existsSync(path.join(packageDir, "src", "index.ts"))) {
    execFileSync(
      process.execPath,
      [path.join(root, "node_modules/typescript/bin/tsc"), "-p", tsconfig],
      {
        stdio: "inherit",
      },
    );
  }
}
