import { AccessBridgeError } from "@access-bridge/conventions";

/**
 * Every failure of the login client, one code each. Callers match on `code`; where an OAuth
 * server said why (RFC 6749 §4.1.2.1, §5.2; RFC 7591 §3.2.2; RFC 8628 §3.5), its own error code
 * (`invalid_grant`, `access_denied`, `expired_token`, …) is kept as it was sent in `oauthError`.
 */
export const AUTH_RELAY_ERROR_CODES = [
  /** An option or argument is unusable; the message names it. */
  "ERR_INVALID_OPTION",
  /** A request got no answer at all: DNS, connection refused, TLS, or the 30 s timeout. */
  "ERR_NETWORK",
  /** No RFC 8414 or OpenID Connect metadata document was found for the issuer. */
  "ERR_DISCOVERY_FAILED",
  /** Metadata or an authorization response names another issuer (RFC 8414 §3.3, RFC 9207). */
  "ERR_ISSUER_MISMATCH",
  /** An endpoint or verification URI is not https (http only on loopback) or not trusted. */
  "ERR_INSECURE_ENDPOINT",
  /** The server lacks what the chosen flow needs (an endpoint, S256 PKCE). */
  "ERR_UNSUPPORTED_SERVER",
  /** Dynamic client registration (RFC 7591) is unavailable or was refused. */
  "ERR_REGISTRATION_FAILED",
  /** The authorization response carried a state this login did not create. */
  "ERR_STATE_MISMATCH",
  /** The authorization response carried neither a code nor an error. */
  "ERR_INVALID_CALLBACK",
  /** The user declined (`oauthError: "access_denied"`), in the browser or on the device page. */
  "ERR_ACCESS_DENIED",
  /** The authorization server ended the login with another error; see `oauthError`. */
  "ERR_AUTHORIZATION_FAILED",
  /** The device code expired before the user approved it (`oauthError: "expired_token"`). */
  "ERR_DEVICE_CODE_EXPIRED",
  /** Nobody finished the login in time. */
  "ERR_LOGIN_TIMEOUT",
  /** The caller aborted the login. */
  "ERR_LOGIN_ABORTED",
  /** No listener could be opened on 127.0.0.1 for the localhost transport's callback. */
  "ERR_LOOPBACK_UNAVAILABLE",
  /** The relay could not be reached or refused the session. */
  "ERR_RELAY_UNAVAILABLE",
  /** The token endpoint refused the code exchange or a device poll; see `oauthError`. */
  "ERR_TOKEN_REQUEST_FAILED",
  /** The token endpoint refused to refresh a stored login; see `oauthError`. */
  "ERR_REFRESH_FAILED",
  /** An endpoint answered with something that is not the OAuth response it should be. */
  "ERR_INVALID_RESPONSE",
  /** No usable stored login for this issuer or remote. */
  "ERR_NOT_LOGGED_IN",
  /** The stored access token expired and there is no refresh token to renew it. */
  "ERR_LOGIN_EXPIRED",
  /** `cloudflared access login` / `access token` failed or is not installed. */
  "ERR_CLOUDFLARED_FAILED",
] as const;

export type AuthRelayErrorCode = (typeof AUTH_RELAY_ERROR_CODES)[number];

export interface ErrorExplanation {
  /** What happened. */
  what: string;
  /** Why it happened, as far as we know. */
  why: string;
  /** What the reader can do next. */
  fix: string;
}

export interface AuthRelayErrorOptions {
  cause?: unknown;
  /** The OAuth protocol's own error code, exactly as the server sent it. */
  oauthError?: string;
}

/**
 * On the base class every package shares (@access-bridge/conventions): `detail` says what
 * happened, why, and what to do, and never contains an authorization code, token, verifier or
 * client token.
 */
export class AuthRelayError extends AccessBridgeError<AuthRelayErrorCode> {
  override readonly name = "AuthRelayError";
  readonly oauthError?: string;

  constructor(
    code: AuthRelayErrorCode,
    explanation: ErrorExplanation,
    options: AuthRelayErrorOptions = {},
  ) {
    const { oauthError, ...errorOptions } = options;
    super(code, `${explanation.what} ${explanation.why} ${explanation.fix}`, errorOptions);
    if (oauthError !== undefined) this.oauthError = printable(oauthError, 64);
  }
}

/** Describes a server-sent OAuth error without echoing anything but its registered fields. */
export function oauthErrorText(error: string, description: string | undefined): string {
  return description
    ? `${printable(error, 64)}: ${printable(description, 200)}`
    : printable(error, 64);
}

function printable(text: string, length: number): string {
  return text.replace(/[^\x20-\x7e]/g, "").slice(0, length);
}
