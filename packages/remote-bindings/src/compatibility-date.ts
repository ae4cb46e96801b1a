/**
 * The compatibility date of every Worker access-bridge itself runs (proxy client, proxy server,
 * emulator gate, relay). One source, so that a runtime upgrade is one edit. It must not be newer
 * than the workerd release that Miniflare ships.
 */
export const WORKERS_COMPATIBILITY_DATE = "2026-11-01";
