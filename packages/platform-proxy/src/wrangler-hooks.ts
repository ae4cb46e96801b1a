// Module hooks that give every `import "wrangler"` (and `require("wrangler")`) of a process the
// real wrangler with one export replaced: getPlatformProxy, by ours. This is how a framework's
// dev server (OpenNext's initOpenNextCloudflareForDev(), @astrojs/cloudflare's platformProxy,
// SvelteKit's and Nuxt's adapters) gets carried bindings with no change to the app: they all
// import getPlatformProxy from "wrangler", and no wrangler setting names another config.
import nodeModule from "node:module";
import { nodeVersionError } from "./node-floor.js";

/** A file of ours whose URL, with this query, names the replacement module for one wrangler. */
const MARKER = "access-bridge-wrangler";
const OURS = new URL("./get-platform-proxy.js", import.meta.url).href;

function replacementSource(realUrl: string): string {
  const real = JSON.stringify(realUrl);
  return [
    `import * as real from ${real};`,
    `import { getPlatformProxy as ours } from ${JSON.stringify(OURS)};`,
    `export * from ${real};`,
    "export const getPlatformProxy = ours;",
    "export default { ...real.default, getPlatformProxy: ours };",
    "",
  ].join("\n");
}

export function installWranglerHooks(): void {
  // Looked up, not imported by name: on a Node without it, the import itself would fail.
  const { registerHooks } = nodeModule as Partial<typeof nodeModule>;
  if (typeof registerHooks !== "function") throw nodeVersionError();
  const replacement = new URL(import.meta.url);
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      if (specifier !== "wrangler" || context.parentURL?.includes(MARKER)) return resolved;
      replacement.search = new URLSearchParams({ [MARKER]: resolved.url }).toString();
      return { url: replacement.href, format: "module", shortCircuit: true };
    },
    load(url, context, nextLoad) {
      const realUrl = url.includes(MARKER) ? new URL(url).searchParams.get(MARKER) : null;
      if (realUrl === null) return nextLoad(url, context);
      return { format: "module", source: replacementSource(realUrl), shortCircuit: true };
    },
  });
}
