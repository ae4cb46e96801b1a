import { fetch } from "undici";
import { AuthRelayError, oauthErrorText, type AuthRelayErrorCode } from "./errors.js";

const REQUEST_TIMEOUT_MS = 30_000;

export interface OAuthHttpResult {
  status: number;
  body: Record<string, unknown>;
}

/** An answer whose body may not be a JSON object (discovery looks past HTML 404 pages). */
export interface OAuthHttpAnswer {
  status: number;
  contentType: string;
  /** The body when it is a JSON object, else undefined. */
  body: Record<string, unknown> | undefined;
  /** The Location header of a redirect (never followed). */
  location?: string;
}

export type OAuthRequestInit =
  { method: "GET" } | { method: "POST"; form: Record<string, string> } | { json: unknown };

/**
 * One request to an OAuth endpoint. Redirects are not followed: a token endpoint that redirects
 * would carry the code, verifier or refresh token to a URL nobody vetted. A request that gets no
 * answer is `ERR_NETWORK`; an abort by the caller's signal is rethrown as the signal's reason.
 */
export async function fetchOAuth(
  url: string,
  init: OAuthRequestInit,
  purpose: string,
  signal?: AbortSignal,
): Promise<OAuthHttpAnswer> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const body =
    "json" in init
      ? { type: "application/json", text: JSON.stringify(init.json) }
      : init.method === "POST"
        ? {
            type: "application/x-www-form-urlencoded",
            text: String(new URLSearchParams(init.form)),
          }
        : undefined;
  let text: string;
  let response;
  try {
    response = await fetch(url, {
      method: body ? "POST" : "GET",
      redirect: "manual",
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      headers: { Accept: "application/json", ...(body ? { "Content-Type": body.type } : {}) },
      ...(body ? { body: body.text } : {}),
    });
    text = await response.text();
  } catch (cause) {
    if (signal?.aborted) throw signal.reason;
    throw new AuthRelayError(
      "ERR_NETWORK",
      {
        what: `Could not reach ${new URL(url).origin} for ${purpose}.`,
        why: timeout.aborted
          ? `No answer came within ${REQUEST_TIMEOUT_MS / 1000} seconds.`
          : `The request failed before an answer came (${networkReason(cause)}).`,
        fix: "Check the network connection and the URL, then try again.",
      },
      { cause },
    );
  }
  let parsed: unknown;
  try {
    parsed = text === "" ? {} : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const isObject = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
  const location = response.headers.get("location");
  return {
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    body: isObject ? (parsed as Record<string, unknown>) : undefined,
    ...(location === null ? {} : { location }),
  };
}

/** {@link fetchOAuth} for endpoints that must answer with a JSON object. */
export async function requestJson(
  url: string,
  init: OAuthRequestInit,
  purpose: string,
  signal?: AbortSignal,
): Promise<OAuthHttpResult> {
  const answer = await fetchOAuth(url, init, purpose, signal);
  if (answer.body === undefined) {
    throw new AuthRelayError("ERR_INVALID_RESPONSE", {
      what: `${new URL(url).origin} answered ${purpose} with HTTP ${answer.status} and no JSON object.`,
      why: "The endpoint is not an OAuth endpoint, or something in between rewrote the answer.",
      fix: "Check the URL; a proxy or captive portal may be intercepting requests.",
    });
  }
  return { status: answer.status, body: answer.body };
}

/** The RFC 6749 §5.2 error of a failed response as an AuthRelayError, keeping its OAuth code. */
export function refusal(
  result: OAuthHttpResult,
  code: AuthRelayErrorCode,
  purpose: string,
  fix: string,
): AuthRelayError {
  const error = typeof result.body.error === "string" ? result.body.error : undefined;
  const description =
    typeof result.body.error_description === "string" ? result.body.error_description : undefined;
  return new AuthRelayError(
    code,
    {
      what: `The authorization server refused ${purpose} (HTTP ${result.status}).`,
      why: error
        ? `It said ${oauthErrorText(error, description)}.`
        : "It gave no OAuth error code.",
      fix,
    },
    error === undefined ? {} : { oauthError: error },
  );
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

/** undici says "fetch failed" and puts the reason (ECONNREFUSED, ENOTFOUND, …) in `cause`. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}
