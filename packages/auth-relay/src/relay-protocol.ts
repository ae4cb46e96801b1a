// The wire contract between the relay Worker (workerd) and the login client (Node). Plain
// TypeScript with no platform types, so both sides import the same constants.

/** WebSocket subprotocol the CLI must offer; browsers' `new WebSocket()` cannot forge the rest. */
export const RELAY_SUBPROTOCOL = "access-bridge.auth-relay.v1";

/**
 * Per-login secret the CLI sends on every upgrade. The `state` travels in the authorization URL
 * (which may leak); this token never leaves the CLI, so knowing the URL is not enough to attach
 * to the session.
 */
export const RELAY_CLIENT_TOKEN_HEADER = "Auth-Relay-Client-Token";

/**
 * One number for both sides: the relay deletes a session this long after it began, and the CLI
 * waits this long for the callback. Ten minutes is the longest authorization code lifetime
 * RFC 6749 §4.1.2 recommends, so waiting longer could not yield a usable code anyway.
 */
export const RELAY_SESSION_TTL_SECONDS = 600;

/** `state` as the relay accepts it: 32–128 URL-safe unreserved characters (RFC 3986 §2.3). */
export const RELAY_STATE_PATTERN = /^[A-Za-z0-9._~-]{32,128}$/;

/** The client token: 43–128 base64url characters (at least 256 bits). */
export const RELAY_CLIENT_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43,128}$/;

/** Close codes the relay uses (4000–4999 is the private-use range, RFC 6455 §7.4.2). */
export const RELAY_CLOSE_DELIVERED = 1000;
export const RELAY_CLOSE_EXPIRED = 4408;
export const RELAY_CLOSE_PROTOCOL = 1008;

/** What the browser brought to `/callback`: the RFC 6749 §4.1.2 / §4.1.2.1 response. */
export interface RelayCallback {
  state: string;
  code?: string;
  error?: string;
  error_description?: string;
  /** RFC 9207 §2: the authorization server's issuer, forwarded for the CLI to check. */
  iss?: string;
}

/** Relay → CLI. */
export interface RelayCallbackMessage extends RelayCallback {
  type: "callback";
}

/** Relay → CLI when the TTL ends with no callback; the socket closes with RELAY_CLOSE_EXPIRED. */
export interface RelayExpiredMessage {
  type: "expired";
}

/** CLI → relay, once it holds the callback; the relay then forgets it. */
export interface RelayAckMessage {
  type: "ack";
}
