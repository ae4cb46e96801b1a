import { fileURLToPath } from "node:url";

/**
 * The bundled relay Worker (`npm run build` writes it), for running the relay locally with
 * Miniflare: main module, with `durableObjects: { AUTH_SESSION: "AuthSession" }`.
 */
export const RELAY_WORKER_SCRIPT_PATH = fileURLToPath(
  new URL("../dist/workers/relay.worker.js", import.meta.url),
);
