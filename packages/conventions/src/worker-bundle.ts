import type { BuildOptions } from "esbuild";

/**
 * How every Worker of ours is bundled for workerd, shipped or test-only, and the CLI's stand-ins:
 * one ES module with no Node platform assumed, packages resolved through their `workerd` export
 * condition first (as wrangler does), and `cloudflare:*` left for the runtime to provide.
 */
export const WORKER_BUNDLE_OPTIONS = {
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["module", "main"],
  external: ["cloudflare:*"],
} satisfies BuildOptions;
