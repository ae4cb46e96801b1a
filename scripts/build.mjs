// The one build step. First the Node side of every package: `tsc -b` takes each package's
// tsconfig.build.json, compiles the packages in the order their project references give (a
// package references the workspace packages it imports) and skips those that are up to date.
// Then every `src/workers/**/*.worker.ts` is bundled for workerd into
// `<package>/dist/workers/<name>.worker.js`, where the Node side loads it from.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const packagesDir = path.join(root, "packages");
const packages = readdirSync(packagesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => path.join(packagesDir, entry.name));

// tsc -b orders by references only: a workspace dependency that a package's tsconfig.build.json
// does not reference could compile after it, and a build from a fresh clone would fail on it.
const names = new Map(
  packages.map((dir) => [
    JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).name,
    dir,
  ]),
);
const unreferenced = [];
for (const dir of packages) {
  const tsconfig = path.join(dir, "tsconfig.build.json");
  if (!existsSync(tsconfig)) continue;
  const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  const referenced = new Set(
    (JSON.parse(readFileSync(tsconfig, "utf8")).references ?? []).map((reference) =>
      path.resolve(dir, reference.path),
    ),
  );
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    const target = names.get(dependency);
    if (target === undefined || !existsSync(path.join(target, "tsconfig.build.json"))) continue;
    if (referenced.has(path.join(target, "tsconfig.build.json"))) continue;
    unreferenced.push(
      `${path.relative(root, tsconfig)} needs { "path": "${path.relative(dir, path.join(target, "tsconfig.build.json"))}" } in "references" (it depends on ${dependency}), and that project "composite": true.`,
    );
  }
}
if (unreferenced.length > 0) {
  console.error(`npm run build: project references are missing:\n${unreferenced.join("\n")}`);
  process.exit(1);
}

execFileSync(
  process.execPath,
  [
    path.join(root, "node_modules/typescript/bin/tsc"),
    "-b",
    ...packages
      .map((dir) => path.join(dir, "tsconfig.build.json"))
      .filter((tsconfig) => existsSync(tsconfig)),
  ],
  { stdio: "inherit" },
);

function findWorkerEntries(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".worker.ts"))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

// A Worker that imports a workspace package is given that package's source, not its dist, so no
// bundle waits for another (the CLI's embedded proxy server wraps remote-bindings' proxy server):
// `dist/x.js` is `src/x.ts`, and a bundle `dist/workers/<name>.worker.js` is its entry.
const workspaceSources = {
  name: "workspace-sources",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^(@access-bridge\/[^/]+|access-bridge)(\/.*)?$/ }, (args) => {
      const [, name, subpath = ""] = /^(@access-bridge\/[^/]+|access-bridge)(\/.*)?$/.exec(
        args.path,
      );
      const dir = names.get(name);
      if (dir === undefined) return undefined;
      const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
      const exported = manifest.exports?.[`.${subpath}`];
      const target = typeof exported === "string" ? exported : exported?.default;
      if (typeof target !== "string") return undefined;
      const bundle = /^\.\/dist\/workers\/(.+\.worker)\.js$/.exec(target);
      if (bundle !== null) {
        const entry = findWorkerEntries(path.join(dir, "src", "workers")).find(
          (file) => path.basename(file, ".ts") === bundle[1],
        );
        return entry === undefined ? undefined : { path: entry };
      }
      return {
        path: path.join(dir, target.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts")),
      };
    });
  },
};

// The options live in @access-bridge/conventions, compiled by tsc -b above.
const { WORKER_BUNDLE_OPTIONS } = await import("@access-bridge/conventions");

await Promise.all(
  packages.map(async (packageDir) => {
    const entries = findWorkerEntries(path.join(packageDir, "src", "workers"));
    if (entries.length === 0) return;
    await build({
      entryPoints: entries,
      outdir: path.join(packageDir, "dist", "workers"),
      // Flat output: each bundle is named after its entry, so the Node side finds it by name.
      entryNames: "[name]",
      ...WORKER_BUNDLE_OPTIONS,
      plugins: [workspaceSources],
      sourcemap: "inline",
      logLevel: "warning",
    });
  }),
);
