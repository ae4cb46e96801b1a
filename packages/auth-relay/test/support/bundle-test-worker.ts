import { WORKER_BUNDLE_OPTIONS } from "@access-bridge/conventions";
import { build } from "esbuild";

/** Bundles a test-only Worker the way scripts/build.mjs bundles shipped ones. */
export async function bundleTestWorker(entryPoint: string): Promise<string> {
  const result = await build({
    entryPoints: [entryPoint],
    ...WORKER_BUNDLE_OPTIONS,
    write: false,
    logLevel: "warning",
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild produced no output for ${entryPoint}`);
  return output.text;
}
