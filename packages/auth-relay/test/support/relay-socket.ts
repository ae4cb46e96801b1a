import { randomBytes } from "node:crypto";
import http from "node:http";
import { WebSocket } from "undici";
import { onTestFinished } from "vitest";
import { RELAY_CLIENT_TOKEN_HEADER, RELAY_SUBPROTOCOL } from "../../src/relay-protocol.js";

export const newState = () => randomBytes(24).toString("base64url"); // 32 chars
export const newClientToken = () => randomBytes(32).toString("base64url"); // 43 chars

export interface RelaySocket {
  socket: WebSocket;
  nextMessage(): Promise<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens the CLI side of a session with a real socket; closes it when the test ends. */
export function openRelaySocket(
  origin: string,
  state: string,
  token: string,
): Promise<RelaySocket> {
  const socket = new WebSocket(`${origin.replace(/^http/, "ws")}/session/${state}`, {
    protocols: [RELAY_SUBPROTOCOL],
    headers: { [RELAY_CLIENT_TOKEN_HEADER]: token },
  });
  onTestFinished(() => socket.close());
  const queue: Record<string, unknown>[] = [];
  const waiters: ((message: Record<string, unknown>) => void)[] = [];
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as Record<string, unknown>;
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.addEventListener("close", (event) =>
      resolve({ code: event.code, reason: event.reason }),
    ),
  );
  return new Promise((resolve, reject) => {
    socket.addEventListener("open", () =>
      resolve({
        socket,
        closed,
        nextMessage: () =>
          queue.length > 0
            ? Promise.resolve(queue.shift() as Record<string, unknown>)
            : new Promise((resolveMessage) => waiters.push(resolveMessage)),
      }),
    );
    socket.addEventListener("error", () => reject(new Error(`upgrade for ${state} failed`)));
  });
}

/** Sends a raw upgrade request and reports the HTTP status the relay answered with. */
export function upgradeStatus(
  origin: string,
  path: string,
  headers: Record<string, string>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${origin}${path}`, {
      headers: {
        Connection: "Upgrade",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
        ...headers,
      },
    });
    request.on("upgrade", (response, socket) => {
      socket.destroy();
      resolve(response.statusCode ?? 0);
    });
    request.on("response", (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", reject);
  });
}

/** The browser's hop to the relay: a plain GET, redirects not followed. */
export async function sendCallback(origin: string, query: string): Promise<Response> {
  return fetch(`${origin}/callback?${query}`, { redirect: "manual" });
}
