// Opens a WebSocket to the proxy server through fetch() rather than `new WebSocket(url)`: in
// workerd the latter cannot carry request headers, so Access would never see the credentials,
// and on failure it yields no HTTP status to explain the refusal with.
import { RemoteBindingsError } from "../../errors.js";
import type { CallPath } from "../../wire-protocol.js";
import { accessBlockError, detectAccessBlock } from "./access-block.js";
import type { ProxyClientEnv } from "./client-env.js";
import { accessHeaders, report, sentCredential } from "./client-env.js";

export interface UpgradeTarget {
  /** http(s) URL of the proxy server, with any query the protocol needs. */
  url: URL;
  /** Protocol headers (not credentials). */
  headers?: Record<string, string>;
  binding: string;
  path: CallPath;
}

const MAX_DETAIL = 300;

function requestUpgrade(target: UpgradeTarget, env: ProxyClientEnv): Promise<Response> {
  return fetch(target.url, {
    headers: {
      Upgrade: "websocket",
      // Offered by workerd's own `new WebSocket(url)`: with no credentials, the request is then
      // byte for byte the one the unauthenticated client sends.
      "Sec-WebSocket-Extensions": "permessage-deflate",
      ...target.headers,
      ...accessHeaders(env),
    },
    redirect: "manual",
  });
}

export async function openUpgrade(target: UpgradeTarget, env: ProxyClientEnv): Promise<WebSocket> {
  let response: Response;
  try {
    response = await requestUpgrade(target, env);
  } catch (error) {
    // workerd may hand the upgrade a pooled keep-alive connection that the server has just
    // closed (it does so after answering without reading a request body, e.g. a refusal of the
    // binding's fetch()). The upgrade is an idempotent GET, so retry it once on a fresh
    // connection, as RFC 9110 §9.2.2 allows.
    if (!(error instanceof Error) || !error.message.includes("Network connection lost")) {
      throw error;
    }
    response = await requestUpgrade(target, env);
  }
  const webSocket = response.webSocket;
  if (webSocket) {
    webSocket.accept();
    return webSocket;
  }

  const sent = sentCredential(env);
  const where = { binding: target.binding, host: target.url.host, path: target.path };
  const block = await detectAccessBlock(response, where, sent);
  if (block !== undefined) {
    await response.body?.cancel();
    await report(env, { type: "access-blocked", ...block });
    throw accessBlockError(block, sent);
  }
  // Plain-text reasons from the proxy server (unknown binding, its own JWT check) are safe and
  // useful to show; anything else is cut short.
  const detail = (await response.text().catch(() => "")).trim().slice(0, MAX_DETAIL);
  throw new RemoteBindingsError(
    "UPGRADE_FAILED",
    `The remote proxy at ${target.url.host} refused the WebSocket upgrade for remote binding ` +
      `"${target.binding}" (${target.path}) with HTTP ${response.status}` +
      (detail ? `: ${detail}` : ".") +
      `\nCheck that the proxy server is deployed from the current @access-bridge/remote-bindings ` +
      `and has a binding named "${target.binding}".`,
  );
}
