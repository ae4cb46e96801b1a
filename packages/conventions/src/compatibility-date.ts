/**
 * The compatibility date of every Worker access-bridge itself runs: the proxy client and proxy
 * server, the Access emulator's gate, the auth relay, the CLI's embedded remote. One source, so
 * that a runtime upgrade is one edit (the wrangler.jsonc templates are checked against it by
 * test). It must not be newer than the oldest workerd access-bridge supports (Miniflare
 * 4.20260501 ships workerd 1.20260501), or that workerd refuses to start the Worker.
 */
export const WORKERS_COMPATIBILITY_DATE = "2026-05-01";
