import { WORKER_BUNDLE_OPTIONS } from "@access-bridge/conventions";
import { build } from "esbuild";

/**
 * Bundles a test-only Worker the way scripts/build.mjs bundles shipped ones. `alias` maps a bare
 * import name to a file, so a test Worker can wrap another package's bundle without a relative
 * path into that package.
 */
export async function bundleTestWorker(
  entryPoint: string,
  alias: Record<string, string> = {},
): Promise<string> {
  const result = await build({
    entryPoints: [entryPoint],
    ...WORKER_BUNDLE_OPTIONS,
    alias,
    write: false,
    logLevel: "warning",
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild produced no output for ${entryPoint}`);
  return output.text;
}
