// The modules that put the facades into the user's Worker (see user-facades.worker.ts): an
// installer, evaluated before any module of the user's, and an entry that imports it first and
// then re-exports the user's entry unchanged. ES modules are evaluated in import order, so the
// user's top-level code already sees the facades.
import { createRequire } from "node:module";
import type * as Esbuild from "esbuild";
import type { RemoteBindingType } from "../shared/binding-types.js";

/** Source of the installer module; `facadesModule` is how it imports user-facades.worker.js. */
export function facadeInstallerSource(
  facades: Record<string, RemoteBindingType>,
  facadesModule: string,
): string {
  return [
    `import { installRemoteFacades } from ${JSON.stringify(facadesModule)};`,
    `installRemoteFacades(${JSON.stringify(facades)});`,
    "",
  ].join("\n");
}

/**
 * Source of the entry that wraps the user's. `export *` never re-exports a default export, and
 * re-exporting a default that does not exist is an error, hence `hasDefaultExport`.
 */
export function userEntrySource(options: {
  installerModule: string;
  userModule: string;
  hasDefaultExport: boolean;
}): string {
  const user = JSON.stringify(options.userModule);
  return [
    `import ${JSON.stringify(options.installerModule)};`,
    `export * from ${user};`,
    ...(options.hasDefaultExport ? [`export { default } from ${user};`] : []),
    "",
  ].join("\n");
}

/** Whether a module (JavaScript or TypeScript, given by path or source) has a default export. */
export function hasDefaultExport(module: { path: string } | { contents: string }): boolean {
  // Loaded on first use: importing esbuild costs a start-up that asks nothing of it (the CLI's
  // `dev` with a cached answer, see the rewrite's `hasDefaultExport` option) up to 150 ms.
  const { buildSync } = createRequire(import.meta.url)("esbuild") as typeof Esbuild;
  const result = buildSync({
    ...("path" in module
      ? { entryPoints: [module.path] }
      : { stdin: { contents: module.contents, loader: "js" } }),
    bundle: false,
    write: false,
    metafile: true,
    format: "esm",
    logLevel: "silent",
  });
  return Object.values(result.metafile.outputs).some((output) =>
    output.exports.includes("default"),
  );
}
