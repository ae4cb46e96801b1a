// The proxy server's side of a session whose first messages came in the upgrade request
// (shared/first-messages.ts): capnweb reads those first, then what arrives on the socket.
import type { RpcTransport } from "capnweb";

export class FirstMessagesTransport implements RpcTransport {
  readonly #first: string[];
  readonly #socket: RpcTransport;

  constructor(first: readonly string[], socket: RpcTransport) {
    this.#first = [...first];
    this.#socket = socket;
  }

  send(message: string): void | Promise<void> {
    return this.#socket.send(message);
  }

  receive(): Promise<string> {
    const next = this.#first.shift();
    return next === undefined ? this.#socket.receive() : Promise.resolve(next);
  }

  abort(reason: unknown): void {
    this.#socket.abort?.(reason);
  }
}
