// The HTTP path: a binding's fetch(), in workers-sdk's remote proxy protocol plus the Access
// headers.
import { accessRequestHeaders } from "../../credentials.js";
import { RemoteBindingsError } from "../../errors.js";
import { WIRE } from "../../wire-protocol.js";
import { accessRefusal, refusalResponse } from "./access-refusal.js";
import { callBounds, formatBound } from "./call-bounds.js";
import type { ProxyClientEnv } from "./client-env.js";
import { clientCredentials, redact } from "./client-env.js";

export interface FetchTarget {
  remoteUrl: string;
  binding: string;
  /** Dispatch namespaces: which Worker of the namespace (MF-Dispatch-Namespace-Options). */
  dispatchOptions?: string;
}

export async function remoteFetch(
  target: FetchTarget,
  request: Request,
  env: ProxyClientEnv,
): Promise<Response> {
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

  const host = new URL(target.remoteUrl).host;
  // A stalled link answers nothing, not even an error: bound the wait for the response headers
  // (only those: the body streams for as long as it takes).
  const { httpHeadersMs } = callBounds(env);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), httpHeadersMs);
  let response: Response;
  try {
    // "manual": the credentials above must never follow a redirect to another host.
    response = await fetch(target.remoteUrl, {
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
      `Remote binding "${target.binding}" (http): the request to the proxy server at ${host} ` +
        `failed: ${what}. It may or may not have reached the remote and is not retried; the ` +
        `next call opens a new connection.`,
    );
  } finally {
    clearTimeout(timer);
  }
  const where = { binding: target.binding, host, path: "http" as const };
  const refusal = await accessRefusal(response, where, env);
  return refusal === undefined ? response : refusalResponse(refusal);
}
