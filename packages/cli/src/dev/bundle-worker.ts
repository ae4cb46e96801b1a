import path from "node:path";
import { build, formatMessages, type BuildFailure } from "esbuild";
import { CliError } from "../cli-error.js";

export interface WorkerBundle {
  code: string;
  /** Absolute paths of every source file in the bundle: what to watch for reloads. */
  inputs: string[];
}

/** Bundles the Worker's entry (TypeScript included) the way wrangler does: ESM for workerd. */
export async function bundleWorker(entry: string, nodeCompat: boolean): Promise<WorkerBundle> {
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      metafile: true,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["module", "main"],
      external: ["cloudflare:*", ...(nodeCompat ? ["node:*"] : [])],
      sourcemap: "inline",
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs)
      .filter((input) => !input.includes(":"))
      .map((input) => path.resolve(input));
    return { code: result.outputFiles[0]!.text, inputs };
  } catch (error) {
    const failure = error as BuildFailure;
    if (!Array.isArray(failure.errors)) throw error;
    const messages = await formatMessages(failure.errors, { kind: "error", color: false });
    throw new CliError(
      "ERR_BUNDLE",
      `Could not bundle ${entry}:\n${messages.join("").trimEnd()}\nFix the error above.`,
    );
  }
}
