// The bearer token for a proxy server in OAuth mode, asked of the token source in Node (see
// bearer-token-source.ts) and kept per isolate with its expiry: the entrypoint and the session
// hosts share it. Only settled tokens are shared, never a pending request: workerd ties a
// promise's I/O to the request that started it, and another request must not wait on it. Two
// requests that ask at once both reach Node, where the token source answers them with one refresh.
import { signInAdvice } from "../../shared/advice.js";
import type { BearerPlace } from "../../shared/bearer-refusal.js";
import { TOKEN_SOURCE_WAIT_MS } from "../../shared/call-bounds.js";
import { RemoteBindingsError } from "../../shared/errors.js";
import type { TokenAnswer, TokenRequest } from "../../shared/wire-protocol.js";
import {
  TOKEN_BROKER_BINDINGS,
  TOKEN_BROKER_KEY_HEADER,
  TOKEN_SOURCE_BINDING,
} from "../../shared/wire-protocol.js";
import { bearerSource, type ProxyClientEnv } from "./client-env.js";
import { redact, rememberSecret } from "./redaction.js";
import { renewalDue, type BearerLease } from "./renewal.js";

export type { BearerLease } from "./renewal.js";

const leases = new Map<string, BearerLease>();

export function hasTokenSource(env: ProxyClientEnv): boolean {
  return env[TOKEN_SOURCE_BINDING] !== undefined || Boolean(env[TOKEN_BROKER_BINDINGS.URL]);
}

/**
 * The token to send to `place.remoteUrl`, or undefined without a token source. `refused`: the
 * proxy server just refused that one, so another is asked for (the token source decides whether
 * it can give a different one).
 */
export async function bearerLease(
  env: ProxyClientEnv,
  place: BearerPlace,
  refused?: BearerLease,
): Promise<BearerLease | undefined> {
  if (!hasTokenSource(env)) return undefined;
  const cached = leases.get(place.remoteUrl);
  if (cached !== undefined && cached.token !== refused?.token && !renewalDue(cached, Date.now())) {
    return cached;
  }
  const reason: TokenRequest["reason"] =
    refused !== undefined ? "refused" : cached === undefined ? "missing" : "expiring";
  const lease = await askTokenSource(env, place, { remote: place.remoteUrl, reason });
  leases.set(place.remoteUrl, lease);
  return lease;
}

/** The proxy server said the token expired (a 4401 close): never send it again. */
export function forgetBearerLease(remoteUrl: string, lease: BearerLease): void {
  if (leases.get(remoteUrl)?.token === lease.token) leases.delete(remoteUrl);
}

function failed(env: ProxyClientEnv, place: BearerPlace, reason: string): RemoteBindingsError {
  return new RemoteBindingsError(
    "ERR_TOKEN_REFRESH_FAILED",
    signInAdvice(
      place,
      { kind: "unavailable", reason: redact(reason, env).slice(0, 1000) },
      bearerSource(env),
    ),
  );
}

function ask(env: ProxyClientEnv, body: string, signal: AbortSignal): Promise<Response> {
  const init = { method: "POST", body, signal };
  const binding = env[TOKEN_SOURCE_BINDING];
  if (binding !== undefined) return binding.fetch("http://access-bridge.token-source/", init);
  return fetch(env[TOKEN_BROKER_BINDINGS.URL]!, {
    ...init,
    headers: {
      "Content-Type": "application/json",
      [TOKEN_BROKER_KEY_HEADER]: env[TOKEN_BROKER_BINDINGS.KEY] ?? "",
    },
    redirect: "manual",
  });
}

async function askTokenSource(
  env: ProxyClientEnv,
  place: BearerPlace,
  request: TokenRequest,
): Promise<BearerLease> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TOKEN_SOURCE_WAIT_MS);
  let status: number;
  let answer: Partial<Record<string, unknown>>;
  try {
    const response = await ask(env, JSON.stringify(request), controller.signal);
    status = response.status;
    answer = ((await response.json().catch(() => ({}))) ?? {}) as typeof answer;
  } catch (error) {
    const why = controller.signal.aborted
      ? `the token source did not answer within ${TOKEN_SOURCE_WAIT_MS / 1000} s`
      : `the token source could not be reached (${error instanceof Error ? error.message : String(error)}); is the access-bridge process that started this still running?`;
    throw failed(env, place, why);
  } finally {
    clearTimeout(timer);
  }
  const { token, expiresAt, error } = answer as Partial<TokenAnswer & { error: string }> & {
    token?: unknown;
    expiresAt?: unknown;
  };
  if (status !== 200 || typeof token !== "string" || token === "") {
    throw failed(
      env,
      place,
      typeof error === "string" ? error : `the token source answered HTTP ${status}.`,
    );
  }
  rememberSecret(token);
  return {
    token,
    obtainedAt: Date.now(),
    ...(typeof expiresAt === "number" ? { expiresAt } : {}),
  };
}
