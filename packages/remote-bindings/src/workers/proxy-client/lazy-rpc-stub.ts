// The RPC path: a capnweb session over an authenticated WebSocket, opened on first use only, so
// a binding used only through fetch() never opens a socket.
import { newWebSocketRpcSession, RpcPromise } from "capnweb";

export interface LazyRpcStub {
  /** The remote property `name`, as capnweb's callable, pipelinable promise. */
  get(name: string): unknown;
  /** `callback` runs once, when the upgrade failed or the open session broke. */
  onBroken(callback: (error: unknown) => void): void;
}

export function lazyRpcStub(open: () => Promise<WebSocket>): LazyRpcStub {
  let main: Record<string, unknown> | undefined;
  const brokenCallbacks: ((error: unknown) => void)[] = [];
  let broken = false;
  const breakWith = (error: unknown) => {
    if (broken) return;
    broken = true;
    for (const callback of brokenCallbacks.splice(0)) callback(error);
  };
  const start = () => {
    const session = open().then((webSocket) => {
      const stub = newWebSocketRpcSession(webSocket);
      stub.onRpcBroken(breakWith);
      return stub;
    });
    // A failed upgrade reaches callers through the pipelined calls below; this handler also
    // keeps the raw promise from being reported as unhandled when nobody calls at all.
    session.catch(breakWith);
    // capnweb queues calls made on an RpcPromise and delivers them, in order, once the
    // promise resolves; if it rejects, every queued call rejects with the same error.
    return new RpcPromise(session) as unknown as Record<string, unknown>;
  };
  return {
    get(name) {
      main ??= start();
      return main[name];
    },
    onBroken(callback) {
      if (broken) callback(undefined);
      else brokenCallbacks.push(callback);
    },
  };
}
