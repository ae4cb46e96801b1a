// Opens a WebSocket to the proxy server through fetch() rather than `new WebSocket(url)`: in
// workerd the latter cannot carry request headers, so Access would never see the credentials,
// and on failure it yields no HTTP status to explain the refusal with.
import { loginRemoteCommand } from "../../shared/advice.js";
import { RemoteBindingsError } from "../../shared/errors.js";
import type { CallPath } from "../../shared/wire-protocol.js";
import { authorisedSend } from "./authorised-send.js";
import type { BearerLease } from "./bearer-token.js";
import { callBounds, formatBound } from "./call-bounds.js";
import type { ProxyClientEnv } from "./client-env.js";
import { redact } from "./redaction.js";
import { FIRST_MESSAGES } from "../shared/first-messages.js";

export interface UpgradeTarget {
  /** The proxy server's URL, as the binding's props name it. */
  remoteUrl: string;
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
async function requestUpgrade(
  target: UpgradeTarget,
  env: ProxyClientEnv,
  credentials: Record<string, string>,
): Promise<Response> {
  const { stallMs } = callBounds(env);
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new UpgradeTimeout(`no answer within ${formatBound(stallMs)}`)),
    stallMs,
  );
  try {
    return await upgradeRequest(target, credentials, controller.signal);
  } catch (error) {
    throw controller.signal.aborted ? controller.signal.reason : error;
  } finally {
    clearTimeout(timer);
  }
}

function upgradeRequest(
  target: UpgradeTarget,
  credentials: Record<string, string>,
  signal: AbortSignal,
): Promise<Response> {
  return fetch(target.url, {
    headers: {
      Upgrade: "websocket",
      // Offered by workerd's own `new WebSocket(url)`: with no credentials, the request is then
      // byte for byte the one the unauthenticated client sends.
      "Sec-WebSocket-Extensions": "permessage-deflate",
      ...target.headers,
      ...credentials,
    },
    redirect: "manual",
    signal,
  });
}

const carriesCalls = (target: UpgradeTarget) =>
  target.headers?.[FIRST_MESSAGES.REQUEST] !== undefined;

function unreachable(target: UpgradeTarget, error: unknown, env: ProxyClientEnv) {
  const reason = error instanceof Error ? error.message : String(error);
  return new RemoteBindingsError(
    "ERR_REMOTE_UNREACHABLE",
    `Remote binding "${target.binding}" (${target.path}) could not reach the proxy server at ` +
      `${target.url.host}: ${redact(reason, env)}. ` +
      (carriesCalls(target)
        ? `The call sent with the upgrade may or may not have run on the remote. `
        : "") +
      `Check that the remote URL is right and the proxy server is deployed; the next call tries ` +
      `again.`,
  );
}

async function fetchUpgrade(
  target: UpgradeTarget,
  env: ProxyClientEnv,
  credentials: Record<string, string>,
): Promise<Response> {
  try {
    return await requestUpgrade(target, env, credentials);
  } catch (error) {
    // workerd may hand the upgrade a pooled keep-alive connection that the server has just
    // closed (it does so after answering without reading a request body, e.g. a refusal of the
    // binding's fetch()), and says only "Network connection lost". The upgrade is an idempotent
    // GET, so a failure to get any answer is retried once on a fresh connection, as RFC 9110
    // §9.2.2 allows; a stall is not (the bound has been waited out already). Nor is an upgrade
    // that carried a session's first calls (first-messages.ts): they may have run.
    if (error instanceof UpgradeTimeout || carriesCalls(target)) {
      throw unreachable(target, error, env);
    }
    return await requestUpgrade(target, env, credentials).catch((retryError: unknown) => {
      throw unreachable(target, retryError, env);
    });
  }
}

/** The upgraded WebSocket (accepted), the 101's headers, and the bearer token it was opened with. */
export interface Upgraded {
  webSocket: WebSocket;
  headers: Headers;
  lease?: BearerLease;
}

/**
 * What to do about a refusal that is neither Access's nor the OAuth layer's: it follows the
 * status, since the proxy server's plain-text reason says what went wrong.
 */
function refusalAdvice(status: number, target: UpgradeTarget): string {
  if (status === 400) {
    return (
      `Check that the proxy server is deployed from the current @access-bridge/remote-bindings ` +
      `and has a binding named "${target.binding}".`
    );
  }
  if (status === 401) {
    return (
      `The proxy server wants credentials it did not get (its reason above). Reach it through ` +
      `its Access-protected hostname; if it is in OAuth mode, sign in with ` +
      `${loginRemoteCommand(target.remoteUrl)}.`
    );
  }
  if (status === 403) {
    return (
      `The proxy server refused the credentials it got (its reason above); see "Deploying the ` +
      `proxy server" in the @access-bridge/remote-bindings README.`
    );
  }
  return (
    `Check that the remote URL points at a proxy server deployed from the current ` +
    `@access-bridge/remote-bindings.`
  );
}

/**
 * Opens the upgrade, authorised (authorised-send.ts; an upgrade is a GET, safe to repeat after a
 * refused bearer token). A refusal by Access or the OAuth layer was reported; any other is not.
 */
export async function openUpgrade(target: UpgradeTarget, env: ProxyClientEnv): Promise<Upgraded> {
  const answer = await authorisedSend(
    env,
    { binding: target.binding, path: target.path, remoteUrl: target.remoteUrl },
    (credentials) => fetchUpgrade(target, env, credentials),
  );
  if ("refused" in answer) throw answer.refused;
  const { response, lease } = answer;
  const webSocket = response.webSocket;
  if (webSocket) {
    webSocket.accept();
    const { headers } = response;
    return lease === undefined ? { webSocket, headers } : { webSocket, headers, lease };
  }

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
      `\n${refusalAdvice(response.status, target)}`,
  );
}
