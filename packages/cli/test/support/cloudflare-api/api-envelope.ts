// What every answer of Cloudflare's API shares: the envelope `{ success, errors, messages, result,
// result_info }` and its errors `{ code, message, documentation_url }`, from
// https://developers.cloudflare.com/fundamentals/api/ and
// https://developers.cloudflare.com/changelog/post/2026-08-20-contextual-403s/ (a 403 is code
// 10000 with the denied endpoint's documentation_url). Also what each route family of the
// stand-in is made of.

/** The reference's root; each route names its page below it. */
export const REFERENCE = "https://developers.cloudflare.com/api/resources";

export interface Failure {
  status: number;
  errors: { code: number; message: string; documentation_url?: string }[];
  headers?: Record<string, string>;
}

/** A refusal a route throws; the router answers it in the envelope. */
export class ApiError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.errors[0]?.message);
  }
}

export function invalid(message: string): ApiError {
  return new ApiError({ status: 400, errors: [{ code: 1001, message }] });
}

export function notFound(code: number, message: string): ApiError {
  return new ApiError({ status: 404, errors: [{ code, message }] });
}

export function envelopeOf(failure: Failure) {
  return { success: false, errors: failure.errors, messages: [], result: null };
}

/** The answer to a request that succeeded; a list also gets its one page of `result_info`. */
export function successOf(result: unknown) {
  return {
    success: true,
    errors: [],
    messages: [],
    result,
    ...(Array.isArray(result)
      ? {
          result_info: {
            page: 1,
            per_page: 100,
            count: result.length,
            total_count: result.length,
            total_pages: 1,
          },
        }
      : {}),
  };
}

/** A multipart request's body, for the script upload. */
export interface Upload {
  raw: Buffer;
  contentType: string;
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** Accepted permissions, from the route's reference page ("Accepted Permissions"). */
  permissions: string[];
  /** The reference page (also the documentation_url of its 403). */
  page: string;
  handle(match: RegExpExecArray, body: unknown, upload: Upload): unknown;
}

export function record(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalid("The request body must be a JSON object.");
  }
  return body as Record<string, unknown>;
}

export function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== "string" || value === "") throw invalid(`${field} is required.`);
  return value;
}

/** A Go duration, as Access takes them (`24h`, `30m`, `8760h`). */
export const DURATION = /^(\d+(ns|us|µs|ms|s|m|h))+$/;
