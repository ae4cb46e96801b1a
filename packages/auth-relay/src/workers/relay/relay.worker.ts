// The OAuth callback relay: the browser's redirect lands on `/callback`, and the CLI that
// started the login receives it over a WebSocket held by the `AuthSession` Durable Object that
// `state` names. It never logs, and keeps the code only until the CLI acknowledges it.
import {
  RELAY_CLIENT_TOKEN_HEADER,
  RELAY_CLIENT_TOKEN_PATTERN,
  RELAY_STATE_PATTERN,
  RELAY_SUBPROTOCOL,
  type RelayCallback,
} from "../../relay-protocol.js";
import { plainResponse, redirectResponse } from "./relay-responses.js";
import type { RelayEnv } from "./relay-env.js";

export { AuthSession } from "./auth-session.js";

const SESSION_PATH = /^\/session\/([^/]*)$/;
// One answer for every state the relay will not serve, so a prober learns nothing.
const NOT_FOUND = "Not found.";

export default {
  async fetch(request, env): Promise<Response> {
    const url = new URL(request.url);
    const session = SESSION_PATH.exec(url.pathname);
    if (url.pathname !== "/callback" && !session) return plainResponse(404, NOT_FOUND);
    if (request.method !== "GET") {
      return plainResponse(405, "Only GET is allowed here.", { Allow: "GET" });
    }
    // The state alphabet needs no escapes, so an escaped path can only be a state we never issued.
    if (session) return openSession(request, env, session[1] ?? "");
    return receiveCallback(url, env);
  },
} satisfies ExportedHandler<RelayEnv>;

function openSession(request: Request, env: RelayEnv, state: string): Promise<Response> | Response {
  if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
    return plainResponse(426, "This endpoint only accepts a WebSocket upgrade.", {
      Upgrade: "websocket",
    });
  }
  // Browsers always send Origin on a WebSocket upgrade; the CLI never does. Refusing it keeps
  // a page that learned the state from attaching to the session (cross-site WebSocket hijacking).
  if (request.headers.has("Origin")) {
    return plainResponse(403, "Browsers may not open relay sessions.");
  }
  if (!RELAY_STATE_PATTERN.test(state)) return plainResponse(404, NOT_FOUND);
  const offered = (request.headers.get("Sec-WebSocket-Protocol") ?? "").split(",");
  if (!offered.map((protocol) => protocol.trim()).includes(RELAY_SUBPROTOCOL)) {
    return plainResponse(400, `Offer the WebSocket subprotocol ${RELAY_SUBPROTOCOL}.`);
  }
  const token = request.headers.get(RELAY_CLIENT_TOKEN_HEADER) ?? "";
  if (!RELAY_CLIENT_TOKEN_PATTERN.test(token)) {
    return plainResponse(401, `Send a ${RELAY_CLIENT_TOKEN_HEADER} header of 43+ base64url chars.`);
  }
  return env.AUTH_SESSION.get(env.AUTH_SESSION.idFromName(state)).fetch(request);
}

async function receiveCallback(url: URL, env: RelayEnv): Promise<Response> {
  const callback = parseCallback(url.searchParams);
  if (callback === "unknown") return plainResponse(404, NOT_FOUND);
  if (callback === "malformed") {
    return plainResponse(400, "A callback carries exactly one of code or error, each once.");
  }
  const landing = callback.code !== undefined ? env.CONSENT_GRANTED_URL : env.CONSENT_DENIED_URL;
  if (!landing) {
    return plainResponse(500, "The relay is missing CONSENT_GRANTED_URL / CONSENT_DENIED_URL.");
  }
  const stub = env.AUTH_SESSION.get(env.AUTH_SESSION.idFromName(callback.state));
  if (!(await stub.deliver(callback))) return plainResponse(404, NOT_FOUND);
  return redirectResponse(landing);
}

function parseCallback(params: URLSearchParams): RelayCallback | "unknown" | "malformed" {
  const state = params.getAll("state");
  if (state.length !== 1 || !RELAY_STATE_PATTERN.test(state[0] ?? "")) return "unknown";
  // RFC 6749 §3.1: request and response parameters must not be included more than once.
  const names = ["code", "error", "error_description", "iss"] as const;
  if (names.some((name) => params.getAll(name).length > 1)) return "malformed";
  const code = params.get("code") ?? undefined;
  const error = params.get("error") ?? undefined;
  if ((code === undefined) === (error === undefined)) return "malformed";
  const callback: RelayCallback = { state: state[0] as string };
  if (code !== undefined) callback.code = code;
  if (error !== undefined) callback.error = error;
  const description = params.get("error_description");
  if (description !== null && error !== undefined) callback.error_description = description;
  const iss = params.get("iss");
  if (iss !== null) callback.iss = iss;
  return callback;
}
