// Where the embedded remote's stand-ins keep their state. Apart from start-embedded-remote.ts, which
// loads Miniflare: what only names the folder must not pay for that.
import path from "node:path";
import { GENERATED_DIR } from "../generated-files.js";

/**
 * In the generated folder beside the wrangler config, under wrangler's own folder: the stand-ins'
 * state lives as long as the project's local state does, and git ignores it.
 */
export const EMBEDDED_REMOTE_STATE_DIR = path.join(GENERATED_DIR, "embedded-remote");

/** `kept`: across starts (default); `fresh`: emptied first, then kept; `in-memory`: never written. */
export type EmbeddedRemoteState = "kept" | "fresh" | "in-memory";
