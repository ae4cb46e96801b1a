import type { OidcRequest } from "../authority-protocol.js";
import { failure, type OAuthResult } from "./oauth-errors.js";

/** Request parameters, each present at most once (RFC 6749 §3.1 and §3.2). */
export type Parameters = ReadonlyMap<string, string>;

function single(params: URLSearchParams): OAuthResult<{ params: Parameters }> {
  const result = new Map<string, string>();
  for (const [name, value] of params) {
    if (result.has(name)) {
      return failure(
        "invalid_request",
        `The parameter ${JSON.stringify(name.slice(0, 40))} is repeated; send each parameter once.`,
      );
    }
    // RFC 6749 §3.1: a parameter sent without a value is treated as omitted.
    if (value !== "") result.set(name, value);
  }
  return { ok: true, params: result };
}

function isForm(request: OidcRequest): boolean {
  const type = request.contentType ?? "";
  return type.split(";")[0]!.trim().toLowerCase() === "application/x-www-form-urlencoded";
}

export function queryParameters(request: OidcRequest): OAuthResult<{ params: Parameters }> {
  return single(new URLSearchParams(request.query));
}

/** The form body of a POST: RFC 6749 requires `application/x-www-form-urlencoded`. */
export function formParameters(request: OidcRequest): OAuthResult<{ params: Parameters }> {
  if (!isForm(request)) {
    return failure(
      "invalid_request",
      "Send the parameters as an application/x-www-form-urlencoded body.",
    );
  }
  return single(new URLSearchParams(request.body));
}

/** A space-separated list (`scope`, `prompt`; RFC 6749 §3.3), without repeats. */
export function spaceSeparated(value: string): string[] {
  return [...new Set(value.split(" ").filter((item) => item !== ""))];
}
