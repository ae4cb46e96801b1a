// The HTTP path: a binding's fetch(), in workers-sdk's remote proxy protocol plus the Access
// headers and, for a proxy server in OAuth mode, the bearer token.
import {
  bearerRefusal,
  signInRequiredGuidance,
  tokenRejectedGuidance,
} from "../../shared/bearer-refusal.js";
import { accessRequestHeaders } from "../../shared/credentials.js";
import { RemoteBindingsError } from "../../shared/errors.js";
import { WIRE } from "../../shared/wire-protocol.js";
import { accessRefusal, refusalResponse } from "./access-refusal.js";
import { bearerLease, type BearerLease } from "./bearer-token.js";
import { callBounds, formatBound } from "./call-bounds.js";
import type { ProxyClientEnv } from "./client-env.js";
import { clientCredentials, redact, report } from "./client-env.js";

export interface FetchTarget {
  remoteUrl: string;
  binding: string;
  /** Dispatch namespaces: which Worker of the namespace (MF-Dispatch-Namespace-Options). */
  dispatchOptions?: string;
}

/** Requests that may be sent twice (RFC 9110 §9.2.2) and carry no body to replay. */
const REPEATABLE = new Set(["GET", "HEAD"]);

function protocolHeaders(target: FetchTarget, request: Request, env: ProxyClientEnv): Headers {
  const headers = new Headers();
  for (const [name, value] of request.headers) {
    // Upgrade travels as itself: workerd only lets the server return a WebSocket to a request
    // that carries "Upgrade: websocket".
    if (name === "upgrade") headers.set(name, value);
    else headers.set(`${WIRE.HEADER_PREFIX}${name}`, value);
  }
  headers.set(WIRE.URL, request.url);
  headers.set(WIRE.BINDING, target.binding);
  if (target.dispatchOptions !== undefined) {
    headers.set(WIRE.DISPATCH_NAMESPACE_OPTIONS, target.dispatchOptions);
  }
  for (const [name, value] of Object.entries(accessRequestHeaders(clientCredentials(env)))) {
    headers.set(name, value);
  }
  return headers;
}

async function send(
  target: FetchTarget,
  request: Request,
  headers: Headers,
  env: ProxyClientEnv,
): Promise<Response> {
  // A stalled link answers nothing, not even an error: bound the wait for the response headers
  // (only those: the body streams for as long as it takes).
  const { httpHeadersMs } = callBounds(env);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), httpHeadersMs);
  try {
    // "manual": the credentials above must never follow a redirect to another host.
    return await fetch(target.remoteUrl, {
      method: request.method,
      headers,
      body: request.body,
      redirect: "manual",
      signal: controller.signal,
    });
  } catch (error) {
    const what = controller.signal.aborted
      ? `no answer within ${formatBound(httpHeadersMs)}`
      : redact(error instanceof Error ? error.message : String(error), env);
    throw new RemoteBindingsError(
      "ERR_REMOTE_UNREACHABLE",
      `Remote binding "${target.binding}" (http): the request to the proxy server at ` +
        `${new URL(target.remoteUrl).host} failed: ${what}. It may or may not have reached the ` +
        `remote and is not retried; the next call opens a new connection.`,
    );
  } finally {
    clearTimeout(timer);
  }
}

function withBearer(headers: Headers, lease: BearerLease | undefined): Headers {
  if (lease !== undefined) headers.set("Authorization", `Bearer ${lease.token}`);
  return headers;
}

export async function remoteFetch(
  target: FetchTarget,
  request: Request,
  env: ProxyClientEnv,
): Promise<Response> {
  const headers = protocolHeaders(target, request, env);
  const place = { binding: target.binding, path: "http" as const, remoteUrl: target.remoteUrl };
  const host = new URL(target.remoteUrl).host;
  const lease = await bearerLease(env, place);
  let response = await send(target, request, withBearer(headers, lease), env);

  let refusal = bearerRefusal(response, target.remoteUrl);
  if (refusal !== undefined) {
    await response.body?.cancel();
    if (lease === undefined) {
      const message = signInRequiredGuidance(place);
      await report(env, { type: "sign-in", binding: target.binding, host, path: "http", message });
      return refusalResponse(new RemoteBindingsError("ERR_SIGN_IN_REQUIRED", message), 401);
    }
    // Asked even when the request cannot be repeated, so that the next call has a fresh token.
    const next = (await bearerLease(env, place, lease))!;
    const repeatable = REPEATABLE.has(request.method.toUpperCase());
    if (repeatable && next.token !== lease.token) {
      response = await send(target, request, withBearer(headers, next), env);
      refusal = bearerRefusal(response, target.remoteUrl);
      if (refusal !== undefined) await response.body?.cancel();
    }
    if (refusal !== undefined) {
      const message = tokenRejectedGuidance(
        place,
        refusal.error,
        repeatable ? undefined : request.method.toUpperCase(),
      );
      await report(env, { type: "sign-in", binding: target.binding, host, path: "http", message });
      return refusalResponse(new RemoteBindingsError("ERR_TOKEN_REJECTED", message), 401);
    }
  }
  const where = { binding: target.binding, host, path: "http" as const };
  const accessBlock = await accessRefusal(response, where, env);
  return accessBlock === undefined ? response : refusalResponse(accessBlock);
}
