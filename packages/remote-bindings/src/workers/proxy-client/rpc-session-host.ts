// One capnweb session per remote binding, shared by every call into the proxy client. workerd
// gives each call on a service binding its own WorkerEntrypoint instance and request context,
// and an I/O object (the WebSocket) cannot be used from another request's context; a Durable
// Object has one context of its own that outlives the calls, so the session lives here and the
// entrypoint forwards each call to it. Warm calls then cost one round trip, not a TCP connect,
// an upgrade and an Access check each.
import { newWebSocketRpcSession, RpcPromise } from "capnweb";
import { DurableObject } from "cloudflare:workers";
import { WIRE } from "../../wire-protocol.js";
import type { ProxyClientEnv } from "./client-env.js";
import { openUpgrade } from "./open-upgrade.js";

/** Which remote binding a session is for. */
export interface RpcSessionTarget {
  remoteUrl: string;
  binding: string;
  /** Dispatch namespaces: which Worker of the namespace (MF-Dispatch-Namespace-Options). */
  dispatchOptions?: string;
}

/** The Durable Object name of a target's session. */
export function rpcSessionName(target: RpcSessionTarget): string {
  return JSON.stringify([target.remoteUrl, target.binding, target.dispatchOptions ?? null]);
}

type RemoteMain = Record<string, (...args: unknown[]) => Promise<unknown>>;

export class RpcSessionHost extends DurableObject<ProxyClientEnv> {
  #main: RemoteMain | undefined;

  /** Calls `method` on the remote binding over this object's session, opened on first use. */
  async call(target: RpcSessionTarget, method: string, args: unknown[]): Promise<unknown> {
    const main = (this.#main ??= this.#open(target));
    return await main[method]!(...args);
  }

  // Nothing is opened until a call needs it. Calls made while the upgrade is in flight are
  // queued on the RpcPromise and delivered in order once it resolves; if it rejects, each of
  // them rejects with the same error. A refused upgrade or a broken session is forgotten, so
  // the next call opens a new one instead of failing forever.
  #open(target: RpcSessionTarget): RemoteMain {
    const url = new URL(target.remoteUrl);
    url.searchParams.set(WIRE.BINDING, target.binding);
    if (target.dispatchOptions !== undefined) {
      url.searchParams.set(WIRE.DISPATCH_NAMESPACE_OPTIONS, target.dispatchOptions);
    }
    let main: RemoteMain | undefined;
    const forget = () => {
      if (this.#main === main) this.#main = undefined;
    };
    const session = openUpgrade({ url, binding: target.binding, path: "rpc" }, this.env).then(
      (webSocket) => {
        const stub = newWebSocketRpcSession(webSocket);
        stub.onRpcBroken(forget);
        return stub;
      },
    );
    // Also keeps the raw promise from counting as unhandled when no call is waiting on it.
    session.catch(forget);
    main = new RpcPromise(session) as unknown as RemoteMain;
    return main;
  }
}
