import { request } from "node:http";
import { WebSocket } from "undici";

/** Sends a WebSocket upgrade and reports the status when the server refuses to switch. */
export function refusedUpgrade(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: {
        ...headers,
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-version": "13",
        "sec-websocket-key": Buffer.from("0123456789abcdef").toString("base64"),
      },
    });
    req.on("upgrade", (_response, socket) => {
      socket.destroy();
      reject(new Error("the upgrade was accepted"));
    });
    req.on("response", (response) => {
      response.resume();
      resolve({ status: response.statusCode!, headers: response.headers });
    });
    req.on("error", reject);
    req.end();
  });
}

/** Opens a WebSocket with request headers (undici allows them), collecting messages. */
export async function openWebSocket(
  url: string,
  headers: Record<string, string>,
): Promise<{ socket: WebSocket; next: () => Promise<string>; close: () => Promise<void> }> {
  const socket = new WebSocket(url.replace(/^http/, "ws"), { headers });
  const queue: string[] = [];
  const waiters: ((message: string) => void)[] = [];
  socket.addEventListener("message", (event) => {
    const message = String(event.data);
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true });
    socket.addEventListener("error", () => reject(new Error(`WebSocket to ${url} failed`)), {
      once: true,
    });
  });
  const next = () =>
    queue.length > 0
      ? Promise.resolve(queue.shift()!)
      : new Promise<string>((resolve) => waiters.push(resolve));
  // Waiting for the close handshake lets workerd finish the proxied request before disposal.
  const close = () =>
    new Promise<void>((resolve) => {
      socket.addEventListener("close", () => resolve(), { once: true });
      socket.close();
    });
  return { socket, next, close };
}
