/**
 * The compatibility date of every Worker access-bridge itself runs (proxy client, proxy server,
 * emulator gate, relay). One source, so that a runtime upgrade is one edit. It must not be newer than the oldest workerd we support
 * (Miniflare 4.20260501 ships workerd 1.20260501), or that workerd refuses to start it.
 */
export const WORKERS_COMPATIBILITY_DATE = "2026-05-01";
