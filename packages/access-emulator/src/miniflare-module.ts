// Miniflare, loaded with require(). Its package is one 6 MB CommonJS file, and an ES `import` of
// it makes Node read all of it twice before loading it (once to detect module syntax, once to
// find its export names): 0.8 s of CPU against 0.46 s for require() (Node 22). `access-bridge
// dev` pays this while wrangler starts beside it, for its embedded remote.
import { createRequire } from "node:module";
import type * as MiniflareModule from "miniflare";

const miniflare = createRequire(import.meta.url)("miniflare") as typeof MiniflareModule;

export const { convertV4MiniflareOptions, CoreHeaders, Miniflare, Response } = miniflare;
export type Miniflare = MiniflareModule.Miniflare;
export type Response = MiniflareModule.Response;
export type { MiniflareOptions, Request, V4WorkerOptions } from "miniflare";
