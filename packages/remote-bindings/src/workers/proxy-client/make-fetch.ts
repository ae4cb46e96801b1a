// The HTTP path: a binding's fetch(), in workers-sdk's remote proxy protocol, sent authorised
// (authorised-send.ts).
import { RemoteBindingsError } from "../../shared/errors.js";
import { WIRE } from "../../shared/wire-protocol.js";
import { authorisedSend } from "./authorised-send.js";
import { callBounds, formatBound } from "./call-bounds.js";
import type { ProxyClientEnv } from "./client-env.js";
import { redact } from "./redaction.js";

export interface FetchTarget {
  remoteUrl: string;
  binding: string;
  /** Dispatch namespaces: which Worker of the namespace (MF-Dispatch-Namespace-Options). */
  dispatchOptions?: string;
}

/** Requests that may be sent twice (RFC 9110 §9.2.2) and carry no body to replay. */
const REPEATABLE = new Set(["GET", "HEAD"]);

function protocolHeaders(target: FetchTarget, request: Request): Headers {
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
    // "manual": the credentials must never follow a redirect to another host.
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

/** The readable stand-in for Access's HTML page or the OAuth layer's 401. */
function refusalResponse(error: RemoteBindingsError, status: number): Response {
  return new Response(error.message + "\n", {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "X-Access-Bridge-Error": error.code },
  });
}

export async function remoteFetch(
  target: FetchTarget,
  request: Request,
  env: ProxyClientEnv,
): Promise<Response> {
  const protocol = protocolHeaders(target, request);
  const method = request.method.toUpperCase();
  const answer = await authorisedSend(
    env,
    { binding: target.binding, path: "http", remoteUrl: target.remoteUrl },
    (credentials) => {
      const headers = new Headers(protocol);
      for (const [name, value] of Object.entries(credentials)) headers.set(name, value);
      return send(target, request, headers, env);
    },
    REPEATABLE.has(method) ? {} : { notRepeatable: method },
  );
  return "refused" in answer ? refusalResponse(answer.refused, answer.status) : answer.response;
}
