import { WORKER_BUNDLE_OPTIONS } from "@access-bridge/conventions";
import { build, formatMessages, type BuildFailure } from "esbuild";
import { DevSessionError } from "../dev-session-error.js";

/** A stand-in service's entry (TypeScript included) as one ES module for workerd. */
export async function bundleStandIn(entry: string): Promise<string> {
  try {
    const result = await build({
      entryPoints: [entry],
      ...WORKER_BUNDLE_OPTIONS,
      write: false,
      // Stand-ins may use Node's built-ins as Workers with nodejs_compat do.
      external: [...WORKER_BUNDLE_OPTIONS.external, "node:*"],
      logLevel: "silent",
    });
    return result.outputFiles[0]!.text;
  } catch (error) {
    const failure = error as BuildFailure;
    if (!Array.isArray(failure.errors)) throw error;
    const messages = await formatMessages(failure.errors, { kind: "error", color: false });
    throw new DevSessionError(
      "ERR_STAND_INS",
      `Could not bundle the embedded remote's stand-in ${entry}:\n${messages.join("").trimEnd()}\nFix the error above.`,
    );
  }
}
