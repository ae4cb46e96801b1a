import { Response } from "../miniflare-module.js";

/**
 * Error codes from RFC 6749 §4.1.2.1 and §5.2, OpenID Connect Core §3.1.2.6 and RFC 6750 §3.1:
 * the `error` member of every failed answer.
 */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "unsupported_response_type"
  | "invalid_scope"
  | "access_denied"
  | "login_required"
  | "invalid_token"
  | "server_error"
  | "temporarily_unavailable";

export interface OAuthFailure {
  ok: false;
  error: OAuthErrorCode;
  description: string;
}

export type OAuthResult<T> = ({ ok: true } & T) | OAuthFailure;

export function failure(error: OAuthErrorCode, description: string): OAuthFailure {
  return { ok: false, error, description };
}

// RFC 6749 §5.1: token responses, and anything else holding credentials, are never cached.
const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

export function jsonResponse(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...NO_STORE, ...headers },
  });
}

function statusOf(error: OAuthErrorCode): number {
  switch (error) {
    case "invalid_client":
    case "invalid_token":
      return 401;
    case "server_error":
      return 500;
    case "temporarily_unavailable":
      return 503;
    default:
      return 400;
  }
}

/** A failure as OAuth error JSON (RFC 6749 §5.2), with the status its code calls for. */
export function errorResponse(
  { error, description }: Pick<OAuthFailure, "error" | "description">,
  options: { status?: number; headers?: Record<string, string> } = {},
): Response {
  return jsonResponse(
    { error, error_description: description },
    options.status ?? statusOf(error),
    options.headers,
  );
}
