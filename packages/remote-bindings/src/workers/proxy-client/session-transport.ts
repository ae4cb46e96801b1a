// capnweb's transport for the session's WebSocket, with two things capnweb's own lacks: fail(),
// and a life before the socket. Failing the transport makes capnweb abort the session, which
// rejects every call waiting on it and errors every stream it is receiving; closing the WebSocket
// alone would not, on a stalled link, since its close event waits for a close frame that never
// comes. And the session exists before its upgrade is answered: what capnweb sends meanwhile
// waits here, and the first messages can ride in the upgrade request itself (first-messages.ts).
import type { RpcTransport } from "capnweb";

// RFC 6455 §5.5: a close frame's reason fits in 123 bytes.
const CLOSE_REASON = "access-bridge: session lost";

export class SessionTransport implements RpcTransport {
  #webSocket: WebSocket | undefined;
  /** What capnweb sent before the socket was there. */
  #unsent: string[] = [];
  readonly #received: string[] = [];
  #waiting: { resolve(message: string): void; reject(error: unknown): void } | undefined;
  #error: unknown;

  /**
   * The socket is open: what waited goes out on it, except the first `delivered` messages, which
   * the proxy server already took from the upgrade request.
   */
  attach(webSocket: WebSocket, delivered: number): void {
    this.#webSocket = webSocket;
    webSocket.addEventListener("message", (event) => {
      const data: unknown = event.data;
      if (typeof data !== "string") {
        this.fail(new TypeError("The proxy server sent a binary message; capnweb speaks text."));
      } else if (this.#waiting !== undefined) {
        this.#waiting.resolve(data);
        this.#waiting = undefined;
      } else {
        this.#received.push(data);
      }
    });
    for (const message of this.#unsent.slice(delivered)) webSocket.send(message);
    this.#unsent = [];
  }

  /** What capnweb has sent so far and is still waiting for the socket. */
  get unsent(): readonly string[] {
    return this.#unsent;
  }

  send(message: string): void {
    if (this.#webSocket !== undefined) this.#webSocket.send(message);
    else if (this.#error === undefined) this.#unsent.push(message);
  }

  receive(): Promise<string> {
    const next = this.#received.shift();
    if (next !== undefined) return Promise.resolve(next);
    if (this.#error !== undefined) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => (this.#waiting = { resolve, reject }));
  }

  abort(): void {
    try {
      this.#webSocket?.close(1000, CLOSE_REASON);
    } catch {
      // Already closed.
    }
  }

  /** Ends the session with `error`: capnweb gives it to every call and stream still waiting. */
  fail(error: unknown): void {
    if (this.#error !== undefined) return;
    this.#error = error;
    this.#unsent = [];
    this.#waiting?.reject(error);
    this.#waiting = undefined;
  }
}
