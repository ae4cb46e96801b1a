// The RPC path: a capnweb session over an authenticated WebSocket, opened on first use only, so
// a binding used only through fetch() never opens a socket.
import { newWebSocketRpcSession, RpcPromise } from "capnweb";

export interface LazyRpcStub {
  /** The remote property `name`, as capnweb's callable, pipelinable promise. */
  get(name: string): unknown;
}

export function lazyRpcStub(open: () => Promise<WebSocket>): LazyRpcStub {
  let main: Record<string, unknown> | undefined;
  return {
    get(name) {
      if (main === undefined) {
        const session = open().then((webSocket) => newWebSocketRpcSession(webSocket));
        // A failed upgrade reaches callers through the pipelined calls below; this branch only
        // keeps the raw promise from being reported as unhandled when nobody calls at all.
        session.catch(() => {});
        // capnweb queues calls made on an RpcPromise and delivers them, in order, once the
        // promise resolves; if it rejects, every queued call rejects with the same error.
        main = new RpcPromise(session) as unknown as Record<string, unknown>;
      }
      return main[name];
    },
  };
}
