import { setTimeout as delay } from "node:timers/promises";
import { WebSocket } from "undici";
import type { AuthorizationResponse } from "../authorization-request.js";
import { AuthRelayError } from "../errors.js";
import { isSecureOrLoopback } from "../oauth-http.js";
import { createClientToken } from "../pkce.js";
import {
  RELAY_CLIENT_TOKEN_HEADER,
  RELAY_CLOSE_DELIVERED,
  RELAY_CLOSE_EXPIRED,
  RELAY_SUBPROTOCOL,
  type RelayAckMessage,
} from "../relay-protocol.js";
import type { CallbackReceiver } from "./callback-receiver.js";

const RECONNECT_DELAY_MS = 1_000;

export function parseRelayUrl(relayUrl: string): URL {
  const url = URL.canParse(relayUrl) ? new URL(relayUrl) : undefined;
  if (!url || !isSecureOrLoopback(url) || (url.pathname !== "/" && url.pathname !== "")) {
    throw new AuthRelayError("ERR_INVALID_OPTION", {
      what: `The relay URL "${relayUrl}" is not usable.`,
      why: "It must be the https origin of a deployed auth-relay Worker (http only on loopback).",
      fix: "Pass --relay https://<name>.<account>.workers.dev (see the auth-relay README).",
    });
  }
  return url;
}

/**
 * The relay transport: the CLI holds a WebSocket to the `AuthSession` for its state, and the
 * browser's callback reaches it there. The socket is opened before the authorization URL is
 * shown, so the session belongs to this process before anyone else can know the state.
 */
export async function openRelayReceiver(
  relayUrl: string,
  state: string,
): Promise<CallbackReceiver> {
  const origin = parseRelayUrl(relayUrl);
  const socketUrl = `${origin.protocol === "https:" ? "wss:" : "ws:"}//${origin.host}/session/${state}`;
  const clientToken = createClientToken();
  let socket = await connect(socketUrl, clientToken);
  let closing = false;

  return {
    redirectUri: `${origin.origin}/callback`,
    async waitForResponse(signal) {
      for (;;) {
        const outcome = await nextOutcome(socket, signal);
        if (outcome.kind === "callback") return outcome.response;
        if (outcome.code === RELAY_CLOSE_EXPIRED) {
          throw new AuthRelayError("ERR_LOGIN_TIMEOUT", {
            what: "The relay ended the login session before a callback arrived.",
            why: "The session's time limit passed (the relay and the CLI share one TTL).",
            fix: "Run the login again and finish it in the browser sooner.",
          });
        }
        // Dropped by the network: reconnect with the same token; the relay keeps a callback
        // that arrives meanwhile (and refuses anyone without the token).
        await delay(RECONNECT_DELAY_MS, undefined, { signal });
        socket = await connect(socketUrl, clientToken).catch(() => socket);
      }
    },
    async close() {
      if (closing) return;
      closing = true;
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
        socket.close(RELAY_CLOSE_DELIVERED);
      }
    },
  };
}

function connect(url: string, clientToken: string): Promise<WebSocket> {
  const socket = new WebSocket(url, {
    protocols: [RELAY_SUBPROTOCOL],
    headers: { [RELAY_CLIENT_TOKEN_HEADER]: clientToken },
  });
  return new Promise((resolve, reject) => {
    socket.addEventListener("open", () => resolve(socket), { once: true });
    socket.addEventListener(
      "error",
      () =>
        reject(
          new AuthRelayError("ERR_RELAY_UNAVAILABLE", {
            what: `Could not open a session on the relay at ${new URL(url).host}.`,
            why: "The relay is unreachable, refused the upgrade, or is not an auth-relay Worker.",
            fix: "Check the --relay URL, or use the localhost callback or --device instead.",
          }),
        ),
      { once: true },
    );
  });
}

export type Outcome =
  { kind: "callback"; response: AuthorizationResponse } | { kind: "closed"; code: number };

function nextOutcome(socket: WebSocket, signal: AbortSignal): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      socket.removeEventListener("message", onMessage);
      socket.removeEventListener("close", onClose);
      signal.removeEventListener("abort", onAbort);
    };
    const onMessage = (event: { data: unknown }) => {
      const message = parseRelayMessage(event.data);
      if (message === undefined) return;
      cleanup();
      if (message.kind === "callback") {
        // Acknowledge at once: the relay then deletes the code; checking it is our job.
        const ack: RelayAckMessage = { type: "ack" };
        socket.send(JSON.stringify(ack));
      }
      resolve(message);
    };
    const onClose = (event: { code: number }) => {
      cleanup();
      resolve({ kind: "closed", code: event.code });
    };
    const onAbort = () => {
      cleanup();
      reject(signal.reason);
    };
    if (socket.readyState === WebSocket.CLOSED) return resolve({ kind: "closed", code: 1006 });
    socket.addEventListener("message", onMessage);
    socket.addEventListener("close", onClose);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * What a relay message means to the CLI: a callback (only its string fields, nothing else kept),
 * the session's expiry, or nothing (anything else is ignored: the relay sends no other message).
 */
export function parseRelayMessage(data: unknown): Outcome | undefined {
  let message: unknown;
  try {
    message = typeof data === "string" ? JSON.parse(data) : undefined;
  } catch {
    return undefined;
  }
  if (typeof message !== "object" || message === null) return undefined;
  const fields = message as Record<string, unknown>;
  if (fields.type === "expired") return { kind: "closed", code: RELAY_CLOSE_EXPIRED };
  if (fields.type !== "callback") return undefined;
  const response: AuthorizationResponse = {};
  for (const field of ["state", "code", "error", "error_description", "iss"] as const) {
    const value = fields[field];
    if (typeof value === "string") response[field] = value;
  }
  return { kind: "callback", response };
}
