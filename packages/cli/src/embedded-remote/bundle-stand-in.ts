import { build, formatMessages, type BuildFailure } from "esbuild";
import { CliError } from "../cli-error.js";

/** A stand-in service's entry (TypeScript included) as one ES module for workerd. */
export async function bundleStandIn(entry: string): Promise<string> {
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["module", "main"],
      external: ["cloudflare:*", "node:*"],
      logLevel: "silent",
    });
    return result.outputFiles[0]!.text;
  } catch (error) {
    const failure = error as BuildFailure;
    if (!Array.isArray(failure.errors)) throw error;
    const messages = await formatMessages(failure.errors, { kind: "error", color: false });
    throw new CliError(
      "ERR_STAND_INS",
      `Could not bundle the embedded remote's stand-in ${entry}:\n${messages.join("").trimEnd()}\nFix the error above.`,
    );
  }
}
