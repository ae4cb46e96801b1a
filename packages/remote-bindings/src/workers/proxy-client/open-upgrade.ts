// Opens a WebSocket to the proxy server through fetch() rather than `new WebSocket(url)`: in
// workerd the latter cannot carry request headers, so Access would never see the credentials,
// and on failure it yields no HTTP status to explain the refusal with.
import { accessRequestHeaders } from "../../credentials.js";
import { RemoteBindingsError } from "../../errors.js";
import type { CallPath } from "../../wire-protocol.js";
import { accessRefusal } from "./access-refusal.js";
import { callBounds, formatBound } from "./call-bounds.js";
import type { ProxyClientEnv } from "./client-env.js";
import { clientCredentials, redact } from "./client-env.js";

export interface UpgradeTarget {
  /** http(s) URL of the proxy server, with any query the protocol needs. */
  url: URL;
  /** Protocol headers (not credentials). */
  headers?: Record<string, string>;
  binding: string;
  path: CallPath;
}

const MAX_DETAIL = 300;

class UpgradeTimeout extends Error {}

// A link that stalls answers nothing, not even an error: bound the wait for the 101.
async function requestUpgrade(target: UpgradeTarget, env: ProxyClientEnv): Promise<Response> {
  const { stallMs } = callBounds(env);
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new UpgradeTimeout(`no answer within ${formatBound(stallMs)}`)),
    stallMs,
  );
  try {
    return await upgradeRequest(target, env, controller.signal);
  } catch (error) {
    throw controller.signal.aborted ? controller.signal.reason : error;
  } finally {
    clearTimeout(timer);
  }
}

function upgradeRequest(
  target: UpgradeTarget,
  env: ProxyClientEnv,
  signal: AbortSignal,
): Promise<Response> {
  return fetch(target.url, {
    headers: {
      Upgrade: "websocket",
      // Offered by workerd's own `new WebSocket(url)`: with no credentials, the request is then
      // byte for byte the one the unauthenticated client sends.
      "Sec-WebSocket-Extensions": "permessage-deflate",
      ...target.headers,
      ...accessRequestHeaders(clientCredentials(env)),
    },
    redirect: "manual",
    signal,
  });
}

function unreachable(target: UpgradeTarget, error: unknown, env: ProxyClientEnv) {
  const reason = error instanceof Error ? error.message : String(error);
  return new RemoteBindingsError(
    "ERR_REMOTE_UNREACHABLE",
    `Remote binding "${target.binding}" (${target.path}) could not reach the proxy server at ` +
      `${target.url.host}: ${redact(reason, env)}. Check that the remote URL is right and the ` +
      `proxy server is deployed; the next call tries again.`,
  );
}

async function fetchUpgrade(target: UpgradeTarget, env: ProxyClientEnv): Promise<Response> {
  try {
    return await requestUpgrade(target, env);
  } catch (error) {
    // workerd may hand the upgrade a pooled keep-alive connection that the server has just
    // closed (it does so after answering without reading a request body, e.g. a refusal of the
    // binding's fetch()). The upgrade is an idempotent GET, so retry it once on a fresh
    // connection, as RFC 9110 §9.2.2 allows.
    if (
      error instanceof UpgradeTimeout ||
      !(error instanceof Error) ||
      !error.message.includes("Network connection lost")
    ) {
      throw unreachable(target, error, env);
    }
    return await requestUpgrade(target, env).catch((retryError: unknown) => {
      throw unreachable(target, retryError, env);
    });
  }
}

export async function openUpgrade(target: UpgradeTarget, env: ProxyClientEnv): Promise<WebSocket> {
  const response = await fetchUpgrade(target, env);
  const webSocket = response.webSocket;
  if (webSocket) {
    webSocket.accept();
    return webSocket;
  }

  const where = { binding: target.binding, host: target.url.host, path: target.path };
  const refusal = await accessRefusal(response, where, env);
  if (refusal !== undefined) throw refusal;
  // The proxy server's plain-text reasons (unknown binding, its own JWT check) are useful to
  // show. Whatever answered is not trusted, though: an endpoint that echoes request headers
  // would hand the credentials back, so the detail is redacted and cut short.
  const plainText = response.headers.get("Content-Type")?.startsWith("text/plain") ?? false;
  const text = plainText ? await response.text().catch(() => "") : "";
  if (!plainText) await response.body?.cancel();
  const detail = redact(text.trim(), env).slice(0, MAX_DETAIL);
  throw new RemoteBindingsError(
    "ERR_UPGRADE_FAILED",
    `The remote proxy at ${target.url.host} refused the WebSocket upgrade for remote binding ` +
      `"${target.binding}" (${target.path}) with HTTP ${response.status}` +
      (detail ? `: ${detail}` : ".") +
      `\nCheck that the proxy server is deployed from the current @access-bridge/remote-bindings ` +
      `and has a binding named "${target.binding}".`,
  );
}
