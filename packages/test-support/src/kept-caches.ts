/**
 * What a command may leave in its temp folder on purpose, across runs: wrangler's version-check
 * cache, and Node's compile cache (module.enableCompileCache(): npm turns it on for itself, and
 * access-bridge for itself and the wrangler it starts). Anything else left there is a leak.
 */
export const KEPT_TEMP_CACHES: ReadonlySet<string> = new Set([
  "update-check",
  "node-compile-cache",
]);
