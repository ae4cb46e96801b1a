// The HTTP path: a binding's fetch(), in workers-sdk's remote proxy protocol plus the Access
// headers.
import { accessRequestHeaders } from "../../credentials.js";
import { WIRE } from "../../wire-protocol.js";
import { accessRefusal, refusalResponse } from "./access-refusal.js";
import type { ProxyClientEnv } from "./client-env.js";
import { clientCredentials } from "./client-env.js";

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

  // "manual": the credentials above must never follow a redirect to another host.
  const response = await fetch(target.remoteUrl, {
    method: request.method,
    headers,
    body: request.body,
    redirect: "manual",
  });
  const where = {
    binding: target.binding,
    host: new URL(target.remoteUrl).host,
    path: "http" as const,
  };
  const refusal = await accessRefusal(response, where, env);
  return refusal === undefined ? response : refusalResponse(refusal);
}
