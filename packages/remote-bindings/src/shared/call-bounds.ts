// How long the proxy client waits on the network before it calls a connection dead. A link that
// stalls (a laptop that slept, Wi-Fi that dropped without a reset, a NAT that forgot the
// mapping) gives no error and no close: without a bound, calls on it would wait forever.
// Plain TypeScript: the Node side validates the option, the proxy client reads the binding.

/** Text binding of the proxy-client Worker that overrides the defaults: JSON of `CallBounds`. */
export const CALL_BOUNDS_BINDING = "ACCESS_BRIDGE_CALL_BOUNDS";

export interface CallBounds {
  /**
   * RPC and connect(): an upgrade must be answered, and a session with a call or a probe waiting
   * must hear from the proxy server, within this many ms, or the connection is closed and every
   * call on it fails with ERR_REMOTE_UNREACHABLE. A slow remote method is not cut short: while
   * it runs, the session probes the link (a capnweb round trip the remote binding never sees).
   */
  stallMs: number;
  /** An idle RPC session probes the link this often, which also keeps proxies from closing it. */
  keepaliveMs: number;
  /**
   * HTTP (a binding's fetch()): the response headers must arrive within this many ms. There is
   * no way to probe an HTTP request, so this is as long as Cloudflare waits for an origin (524).
   */
  httpHeadersMs: number;
}

export const DEFAULT_CALL_BOUNDS: CallBounds = {
  stallMs: 15_000,
  keepaliveMs: 30_000,
  httpHeadersMs: 100_000,
};

export function isBound(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}

/** "15 s", "1.5 s", "200 ms": a bound as an error message shows it. */
export function formatBound(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

/** How long the proxy client waits for its bearer token source in Node before it fails the call. */
export const TOKEN_SOURCE_WAIT_MS = 30_000;

/**
 * How long the token source itself may take: less than the proxy client waits, so that the
 * source's own "did not answer" (with its reason) reaches the call before the client gives up.
 */
export const TOKEN_SOURCE_TIMEOUT_MS = TOKEN_SOURCE_WAIT_MS - 5_000;
