// Node's compile cache (node:module, Node 22.1+): V8's code for each module kept on disk, keyed by
// the module's source, so a later start compiles none of it again. `dev` starts two large loads
// side by side on the developer's cores (wrangler's 15 MB CLI, and for the embedded remote
// Miniflare and the Access emulator in this process), and whatever CPU one of them spends
// delays the other: the cache takes a share of both off every start after the first.
// NODE_DISABLE_COMPILE_CACHE=1 turns it off, and a NODE_COMPILE_CACHE of the user's wins.
import module from "node:module";

/** Turns the cache on for this process (before anything large is imported). */
export function enableCompileCache(): void {
  module.enableCompileCache?.();
}

/** `env` with NODE_COMPILE_CACHE naming this process's cache, for a Node child (wrangler). */
export function withCompileCache(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const dir = module.getCompileCacheDir?.();
  if (dir === undefined || env.NODE_COMPILE_CACHE !== undefined) return env;
  if (env.NODE_DISABLE_COMPILE_CACHE !== undefined) return env;
  return { ...env, NODE_COMPILE_CACHE: dir };
}
