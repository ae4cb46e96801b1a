// The few calls of Cloudflare's API that `access-bridge deploy` makes itself, with the API token
// wrangler reads (CLOUDFLARE_API_TOKEN). Every call names what it does and the permission it
// needs, so that a refusal becomes a sentence saying which permission to add (api-errors.ts).
import { CliError } from "../cli-error.js";
import { describeApiError, type ApiCall } from "./api-errors.js";

/**
 * wrangler's own override of the API's address (its staging and test setups use it): set, it
 * sends wrangler's calls and ours to the same place, which is how the tests reach the stand-in.
 */
export const API_BASE_URL_VARIABLE = "CLOUDFLARE_API_BASE_URL";
const DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4";
const TIMEOUT_MS = 30_000;

/** The envelope of every answer (https://developers.cloudflare.com/fundamentals/api/). */
interface Envelope<T> {
  success: boolean;
  errors?: { code?: number; message?: string; documentation_url?: string }[];
  result: T;
  result_info?: { page?: number; total_pages?: number };
}

export interface CloudflareApi {
  readonly baseUrl: string;
  request<T>(call: ApiCall & { method: string; path: string; body?: unknown }): Promise<T>;
  /** A GET whose 404 means "not there": undefined instead of an error. */
  find<T>(call: ApiCall & { path: string }): Promise<T | undefined>;
  /** Every page of a list endpoint. */
  list<T>(call: ApiCall & { path: string }): Promise<T[]>;
}

export function apiToken(env: NodeJS.ProcessEnv): string | undefined {
  const token = env.CLOUDFLARE_API_TOKEN?.trim();
  return token === undefined || token === "" ? undefined : token;
}

export function cloudflareApi(token: string, env: NodeJS.ProcessEnv): CloudflareApi {
  const baseUrl = (env[API_BASE_URL_VARIABLE] ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  async function request<T>(
    call: ApiCall & { method: string; path: string; body?: unknown },
    missingOk = false,
  ): Promise<Envelope<T> | undefined> {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${call.path}`, {
        method: call.method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(call.body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new CliError(
        "ERR_CLOUDFLARE_API",
        `Could not reach Cloudflare's API at ${baseUrl} to ${call.action} (${error instanceof Error ? error.message : String(error)}). Check your connection${process.env[API_BASE_URL_VARIABLE] === undefined ? "" : ` and ${API_BASE_URL_VARIABLE}`}, then run again.`,
        1,
        { cause: error },
      );
    }
    let envelope: Envelope<T> | undefined;
    try {
      envelope = (await response.json()) as Envelope<T>;
    } catch {
      envelope = undefined;
    }
    if (missingOk && response.status === 404) return undefined;
    if (!response.ok || envelope?.success !== true) {
      throw new CliError(
        "ERR_CLOUDFLARE_API",
        describeApiError(call, {
          status: response.status,
          errors: envelope?.errors ?? [],
          retryAfter: response.headers.get("retry-after"),
        }),
      );
    }
    return envelope;
  }
  return {
    baseUrl,
    async request<T>(call: ApiCall & { method: string; path: string; body?: unknown }) {
      return (await request<T>(call))!.result;
    },
    async find<T>(call: ApiCall & { path: string }) {
      return (await request<T>({ ...call, method: "GET" }, true))?.result;
    },
    async list<T>(call: ApiCall & { path: string }) {
      const items: T[] = [];
      for (let page = 1; ; page++) {
        const separator = call.path.includes("?") ? "&" : "?";
        const envelope = await request<T[]>({
          ...call,
          method: "GET",
          path: `${call.path}${separator}page=${page}&per_page=100`,
        });
        items.push(...(envelope!.result ?? []));
        const pages = envelope!.result_info?.total_pages;
        if (pages === undefined || page >= pages) return items;
      }
    },
  };
}
