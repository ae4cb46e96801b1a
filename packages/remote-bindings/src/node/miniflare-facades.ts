// Puts the facades into a Miniflare worker (see user-entry.ts): its script becomes an explicit
// module list whose entry installs the facades, then re-exports the worker's own module.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { V4WorkerOptions as WorkerOptions } from "miniflare";
import type { RemoteBindingType } from "../shared/binding-types.js";
import { invalidOption } from "./remote-binding-plan.js";
import { facadeInstallerSource, hasDefaultExport, userEntrySource } from "./user-entry.js";
import { USER_FACADES_BUNDLE } from "./worker-bundles.js";

interface ModuleDefinition {
  type: "ESModule" | "CommonJS" | "Text" | "Data" | "CompiledWasm";
  path: string;
  contents?: string | Uint8Array;
}

const OUR_FOLDER = "__access-bridge__";

/** The user's modules, entry first, as an explicit list under `root`. */
function userModules(worker: WorkerOptions, root: string): ModuleDefinition[] {
  const source = worker as {
    modules?: boolean | ModuleDefinition[];
    script?: string;
    scriptPath?: string;
  };
  if (Array.isArray(source.modules)) {
    return source.modules.map((module) => ({ ...module, path: path.resolve(root, module.path) }));
  }
  if (source.modules !== true) {
    throw invalidOption(
      "remoteBindings",
      "apply(worker)",
      "needs a modules-format worker (`modules: true` or a modules list) when a remote KV, R2, " +
        "D1 or Workers AI binding is used: their facade is an ES module imported before the worker's own.",
    );
  }
  const scriptPath = source.scriptPath === undefined ? undefined : path.resolve(source.scriptPath);
  const contents = source.script ?? (scriptPath && readFileSync(scriptPath, "utf8"));
  if (contents === undefined) {
    throw invalidOption("remoteBindings", "apply(worker)", "needs `script` or `scriptPath`.");
  }
  return [{ type: "ESModule", path: scriptPath ?? path.join(root, "worker.mjs"), contents }];
}

function specifier(from: string, to: string): string {
  const relative = path.relative(path.dirname(from), to).split(path.sep).join("/");
  return relative.startsWith(".") ? relative : `./${relative}`;
}

/** Whether the worker is written as ES modules, so that an entry can be put in front of it. */
function isModulesWorker(worker: WorkerOptions): boolean {
  const modules = (worker as { modules?: unknown }).modules;
  return modules === true || Array.isArray(modules);
}

/**
 * `facades` are required (their binding has no API without one); `pipelineFacades` only speed
 * chains up, so a worker that cannot take them (service-worker syntax) keeps its plain bindings.
 */
export function withFacades(
  worker: WorkerOptions,
  required: Record<string, RemoteBindingType>,
  pipelineFacades: Record<string, "service"> = {},
): WorkerOptions {
  const facades =
    Object.keys(required).length > 0 || isModulesWorker(worker)
      ? { ...pipelineFacades, ...required }
      : required;
  if (Object.keys(facades).length === 0) return worker;
  const source = worker as { modulesRoot?: string; scriptPath?: string; rootPath?: string };
  const root = path.resolve(
    source.rootPath ?? ".",
    source.modulesRoot ?? (source.scriptPath ? path.dirname(source.scriptPath) : "."),
  );
  const modules = userModules(worker, root);
  const entry = modules[0]!;
  // A worker given to apply() of several remotes is wrapped once per remote, each wrapper around
  // the one before, so each wrapper's modules need their own folder.
  const earlier = new Set(
    modules
      .map((module) => path.dirname(module.path))
      .filter((folder) => path.basename(folder).startsWith(OUR_FOLDER)),
  ).size;
  const folder = path.join(root, earlier === 0 ? OUR_FOLDER : `${OUR_FOLDER}-${earlier + 1}`);
  const ours = {
    entry: path.join(folder, "entry.mjs"),
    installer: path.join(folder, "install-facades.mjs"),
    facades: path.join(folder, "user-facades.mjs"),
  };
  const entryContents = entry.contents ?? readFileSync(entry.path);
  // The script becomes the module list below; what described it before must go.
  const rest = { ...worker } as Record<string, unknown>;
  for (const key of ["script", "scriptPath", "modulesRules"]) delete rest[key];
  return {
    ...rest,
    modulesRoot: root,
    modules: [
      {
        type: "ESModule",
        path: ours.entry,
        contents: userEntrySource({
          installerModule: specifier(ours.entry, ours.installer),
          userModule: specifier(ours.entry, entry.path),
          hasDefaultExport: hasDefaultExport({
            contents:
              typeof entryContents === "string"
                ? entryContents
                : new TextDecoder().decode(entryContents),
          }),
        }),
      },
      {
        type: "ESModule",
        path: ours.installer,
        contents: facadeInstallerSource(facades, specifier(ours.installer, ours.facades)),
      },
      { type: "ESModule", path: ours.facades, contents: readFileSync(USER_FACADES_BUNDLE, "utf8") },
      ...modules,
    ],
  } as WorkerOptions;
}
