// capnweb's transport for the session's WebSocket, with one thing capnweb's own lacks: fail().
// Failing the transport makes capnweb abort the session, which rejects every call waiting on it
// and errors every stream it is receiving; closing the WebSocket alone would not, on a stalled
// link, since its close event waits for a close frame that never comes.
import type { RpcTransport } from "capnweb";

// RFC 6455 §5.5: a close frame's reason fits in 123 bytes.
const CLOSE_REASON = "access-bridge: session lost";

export class SessionTransport implements RpcTransport {
  readonly #webSocket: WebSocket;
  readonly #received: string[] = [];
  #waiting: { resolve(message: string): void; reject(error: unknown): void } | undefined;
  #error: unknown;

  constructor(webSocket: WebSocket) {
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
  }

  send(message: string): void {
    this.#webSocket.send(message);
  }

  receive(): Promise<string> {
    const next = this.#received.shift();
    if (next !== undefined) return Promise.resolve(next);
    if (this.#error !== undefined) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => (this.#waiting = { resolve, reject }));
  }

  abort(): void {
    try {
      this.#webSocket.close(1000, CLOSE_REASON);
    } catch {
      // Already closed.
    }
  }

  /** Ends the session with `error`: capnweb gives it to every call and stream still waiting. */
  fail(error: unknown): void {
    if (this.#error !== undefined) return;
    this.#error = error;
    this.#waiting?.reject(error);
    this.#waiting = undefined;
  }
}
