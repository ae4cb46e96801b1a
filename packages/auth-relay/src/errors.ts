/**
 * Every failure of the login client. `code` is what callers match on: the OAuth error code
 * itself where the server sent one (RFC 6749 §4.1.2.1, §5.2; RFC 8628 §3.5), otherwise one of
 * ours. Messages say what happened, why, and what to do, and never contain a code, token,
 * verifier or client token.
 */
export type AuthRelayErrorCode =
  // ours
  | "invalid_option"
  | "discovery_failed"
  | "issuer_mismatch"
  | "insecure_endpoint"
  | "unsupported_server"
  | "registration_failed"
  | "state_mismatch"
  | "invalid_callback"
  | "login_timeout"
  | "login_aborted"
  | "relay_unavailable"
  | "relay_rejected"
  | "token_request_failed"
  | "invalid_token_response"
  | "not_logged_in"
  | "token_file_insecure"
  | "token_file_corrupt"
  | "revocation_failed"
  | "cloudflared_failed"
  // the protocol's own
  | "access_denied"
  | "invalid_grant"
  | "expired_token"
  | "slow_down"
  | "authorization_pending"
  | (string & {});

export interface ErrorExplanation {
  /** What happened. */
  what: string;
  /** Why it happened, as far as we know. */
  why: string;
  /** What the reader can do next. */
  fix: string;
}

export class AuthRelayError extends Error {
  override readonly name = "AuthRelayError";
  readonly code: AuthRelayErrorCode;

  constructor(code: AuthRelayErrorCode, explanation: ErrorExplanation, options?: ErrorOptions) {
    super(`${explanation.what} ${explanation.why} ${explanation.fix}`, options);
    this.code = code;
  }
}

/** Describes a server-sent OAuth error without echoing anything but its registered fields. */
export function oauthErrorText(error: string, description: string | undefined): string {
  const safe = (text: string) => text.replace(/[^\x20-\x7e]/g, "").slice(0, 200);
  return description ? `${safe(error)}: ${safe(description)}` : safe(error);
}
