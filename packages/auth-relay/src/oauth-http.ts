import { fetch } from "undici";
import { AuthRelayError, oauthErrorText } from "./errors.js";

const REQUEST_TIMEOUT_MS = 30_000;

export interface OAuthHttpResult {
  status: number;
  body: Record<string, unknown>;
}

/**
 * A JSON request to an OAuth endpoint. Redirects are not followed: a token endpoint that
 * redirects would carry the code, verifier or refresh token to a URL nobody vetted.
 */
export async function requestJson(
  url: string,
  init: { method: "GET" } | { method: "POST"; form: Record<string, string> } | { json: unknown },
  purpose: string,
  signal?: AbortSignal,
): Promise<OAuthHttpResult> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  let response;
  try {
    const body =
      "json" in init
        ? { type: "application/json", text: JSON.stringify(init.json) }
        : init.method === "POST"
          ? { type: "application/x-www-form-urlencoded", text: new URLSearchParams(init.form) }
          : undefined;
    response = await fetch(url, {
      method: body ? "POST" : "GET",
      redirect: "manual",
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      headers: { Accept: "application/json", ...(body ? { "Content-Type": body.type } : {}) },
      ...(body ? { body: body.text.toString() } : {}),
    });
  } catch (cause) {
    throw new AuthRelayError(
      "token_request_failed",
      {
        what: `Could not reach ${new URL(url).origin} for ${purpose}.`,
        why: `The request failed before an answer came (${(cause as Error).message}).`,
        fix: "Check the network and the issuer URL, then try again.",
      },
      { cause },
    );
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === "" ? {} : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AuthRelayError("invalid_token_response", {
      what: `${new URL(url).origin} answered ${purpose} with HTTP ${response.status} and no JSON object.`,
      why: "The endpoint is not an OAuth endpoint, or something in between rewrote the answer.",
      fix: "Check the issuer URL; a proxy or captive portal may be intercepting requests.",
    });
  }
  return { status: response.status, body: body as Record<string, unknown> };
}

/** POSTs a JSON document (RFC 7591 registration). */
export function requestJsonBody(
  url: string,
  json: unknown,
  purpose: string,
  signal?: AbortSignal,
): Promise<OAuthHttpResult> {
  return requestJson(url, { json }, purpose, signal);
}

/** The RFC 6749 §5.2 error of a failed response as an AuthRelayError carrying its code. */
export function oauthError(result: OAuthHttpResult, purpose: string, fix: string): AuthRelayError {
  const error = typeof result.body.error === "string" ? result.body.error : undefined;
  const description =
    typeof result.body.error_description === "string" ? result.body.error_description : undefined;
  return new AuthRelayError(error ?? "token_request_failed", {
    what: `The authorization server refused ${purpose} (HTTP ${result.status}).`,
    why: error ? `It said ${oauthErrorText(error, description)}.` : "It gave no OAuth error code.",
    fix,
  });
}

/** RFC 8252 §8.3 / RFC 8414 §2: https everywhere, plain http only to this machine. */
export function isSecureOrLoopback(url: URL): boolean {
  if (url.protocol === "https:") return true;
  return (
    url.protocol === "http:" &&
    (url.hostname === "localhost" ||
      url.hostname === "[::1]" ||
      /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(url.hostname))
  );
}
