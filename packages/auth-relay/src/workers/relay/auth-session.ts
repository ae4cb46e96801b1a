import { DurableObject } from "cloudflare:workers";
import {
  RELAY_CLIENT_TOKEN_HEADER,
  RELAY_CLOSE_DELIVERED,
  RELAY_CLOSE_EXPIRED,
  RELAY_CLOSE_PROTOCOL,
  RELAY_SESSION_TTL_SECONDS,
  RELAY_SUBPROTOCOL,
  type RelayCallback,
  type RelayCallbackMessage,
  type RelayExpiredMessage,
} from "../../relay-protocol.js";
import { plainResponse } from "./relay-responses.js";
import type { RelayEnv } from "./relay-env.js";

interface SessionRecord {
  clientTokenHash: string;
  expiresAt: number;
}

const SESSION_KEY = "session";
const CALLBACK_KEY = "callback";

/**
 * One login attempt, named by its `state`. Everything lives in storage or on the socket, never
 * in fields: with the WebSocket Hibernation API the object is evicted while the CLI's socket
 * stays open, and a fresh instance must pick up where the last one stopped.
 */
export class AuthSession extends DurableObject<RelayEnv> {
  /** The CLI's upgrade, already checked by the Worker for Origin, subprotocol and token shape. */
  override async fetch(request: Request): Promise<Response> {
    const clientTokenHash = await sha256Hex(request.headers.get(RELAY_CLIENT_TOKEN_HEADER) ?? "");
    let session = await this.ctx.storage.get<SessionRecord>(SESSION_KEY);
    if (session && session.expiresAt <= Date.now()) return plainResponse(404, "Not found.");
    if (!session) {
      const expiresAt = Date.now() + sessionTtlSeconds(this.env) * 1000;
      session = { clientTokenHash, expiresAt };
      await this.ctx.storage.put(SESSION_KEY, session);
      await this.ctx.storage.setAlarm(expiresAt);
    } else if (!timingSafeEqualText(session.clientTokenHash, clientTokenHash)) {
      // Whoever opened the session first owns it; the CLI connects before it shows the URL.
      return plainResponse(403, "This session belongs to another client.");
    }
    if (this.openSockets().length > 0) {
      return plainResponse(409, "A client is already connected to this session.");
    }

    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    // A callback that came while no socket was open waits here for the (re)connecting CLI.
    const pending = await this.ctx.storage.get<RelayCallback>(CALLBACK_KEY);
    if (pending) server.send(callbackMessage(pending));
    return new Response(null, {
      status: 101,
      webSocket: client,
      headers: { "Sec-WebSocket-Protocol": RELAY_SUBPROTOCOL },
    });
  }

  /** The browser's callback. `false` means unknown, expired or already used: the Worker 404s. */
  async deliver(callback: RelayCallback): Promise<boolean> {
    const session = await this.ctx.storage.get<SessionRecord>(SESSION_KEY);
    if (!session || session.expiresAt <= Date.now()) return false;
    // First callback wins; a second one (a replay, or a race) looks exactly like an unknown state.
    if ((await this.ctx.storage.get(CALLBACK_KEY)) !== undefined) return false;
    await this.ctx.storage.put(CALLBACK_KEY, callback);
    for (const socket of this.openSockets()) socket.send(callbackMessage(callback));
    return true;
  }

  override async webSocketMessage(socket: WebSocket, message: string | ArrayBuffer): Promise<void> {
    let parsed: unknown;
    try {
      parsed = typeof message === "string" ? JSON.parse(message) : undefined;
    } catch {
      parsed = undefined;
    }
    const isAck = typeof parsed === "object" && parsed !== null && "type" in parsed;
    if (!isAck || (parsed as { type: unknown }).type !== "ack") {
      socket.close(RELAY_CLOSE_PROTOCOL, "Unexpected message.");
      return;
    }
    if ((await this.ctx.storage.get(CALLBACK_KEY)) === undefined) {
      socket.close(RELAY_CLOSE_PROTOCOL, "Nothing to acknowledge.");
      return;
    }
    // The CLI holds the code now: forget everything, so nothing about the login outlives it.
    await this.forget();
    socket.close(RELAY_CLOSE_DELIVERED, "Delivered.");
  }

  override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
    // Complete the closing handshake; the session itself stays for a reconnect until the alarm.
    try {
      socket.close(code === 1005 || code === 1006 ? 1000 : code, "Closed.");
    } catch {
      // Already closed.
    }
  }

  override async alarm(): Promise<void> {
    // Say it in a message as well as in the close code: after a close sent from alarm(), workerd
    // (in Miniflare at least) holds the TCP connection until the object is evicted, and clients
    // like undici report the close only when the connection ends.
    const expired: RelayExpiredMessage = { type: "expired" };
    for (const socket of this.openSockets()) {
      socket.send(JSON.stringify(expired));
      socket.close(RELAY_CLOSE_EXPIRED, "Session expired.");
    }
    await this.forget();
  }

  private openSockets(): WebSocket[] {
    return this.ctx.getWebSockets().filter((socket) => socket.readyState === WebSocket.OPEN);
  }

  private async forget(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }
}

function callbackMessage(callback: RelayCallback): string {
  const message: RelayCallbackMessage = { type: "callback", ...callback };
  return JSON.stringify(message);
}

export function sessionTtlSeconds(env: RelayEnv): number {
  const configured = Number(env.SESSION_TTL_SECONDS);
  return Number.isInteger(configured) && configured > 0 && configured <= 3600
    ? configured
    : RELAY_SESSION_TTL_SECONDS;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

function timingSafeEqualText(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  return left.byteLength === right.byteLength && crypto.subtle.timingSafeEqual(left, right);
}
