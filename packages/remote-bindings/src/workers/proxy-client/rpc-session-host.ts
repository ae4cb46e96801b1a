// One capnweb session per remote binding, shared by every call into the proxy client. workerd
// gives each call on a service binding its own WorkerEntrypoint instance and request context,
// and an I/O object (the WebSocket) cannot be used from another request's context; a Durable
// Object has one context of its own that outlives the calls, so the session lives here and the
// entrypoint forwards each call to it. Warm calls then cost one round trip, not a TCP connect,
// an upgrade and an Access check each.
import { DurableObject } from "cloudflare:workers";
import { RPC_SESSIONS_BINDING, WIRE } from "../../wire-protocol.js";
import type { ProxyClientEnv } from "./client-env.js";
import type { LazyRpcStub } from "./lazy-rpc-stub.js";
import { lazyRpcStub } from "./lazy-rpc-stub.js";
import { openUpgrade } from "./open-upgrade.js";

/** Which remote binding a session is for. */
export interface RpcSessionTarget {
  remoteUrl: string;
  binding: string;
}

/** The Durable Object name of a binding's session: one per proxy URL and remote binding. */
export function rpcSessionName(target: RpcSessionTarget): string {
  return `${target.remoteUrl} ${target.binding}`;
}

export function openRpcSession(target: RpcSessionTarget, env: ProxyClientEnv): LazyRpcStub {
  return lazyRpcStub(() => {
    const url = new URL(target.remoteUrl);
    url.searchParams.set(WIRE.BINDING, target.binding);
    return openUpgrade({ url, binding: target.binding, path: "rpc" }, env);
  });
}

export class RpcSessionHost extends DurableObject<ProxyClientEnv> {
  #session: LazyRpcStub | undefined;

  /** Calls `method` on the remote binding over this object's session, opened on first use. */
  async call(target: RpcSessionTarget, method: string, args: unknown[]): Promise<unknown> {
    if (this.#session === undefined) {
      const session = openRpcSession(target, this.env);
      this.#session = session;
      // A refused upgrade or a broken connection rejects the calls that were on it; the next
      // call opens a new session instead of failing forever.
      session.onBroken(() => {
        if (this.#session === session) this.#session = undefined;
      });
    }
    const remote = this.#session.get(method) as (...args: unknown[]) => Promise<unknown>;
    return await remote(...args);
  }
}

export type RemoteCall = (...args: unknown[]) => Promise<unknown>;

/**
 * The remote methods of `target` for one call into the proxy client: forwarded to the binding's
 * session host, or, when the worker runs without the host's namespace (its bundle used on its
 * own), over a session of this call's own.
 */
export function remoteMethods(
  target: RpcSessionTarget,
  env: ProxyClientEnv,
): (name: string) => RemoteCall {
  const namespace = env[RPC_SESSIONS_BINDING];
  if (namespace === undefined) {
    const own = openRpcSession(target, env);
    return (name) => own.get(name) as RemoteCall;
  }
  let host: DurableObjectStub<RpcSessionHost> | undefined;
  return (name) =>
    (...args) => {
      host ??= namespace.get(namespace.idFromName(rpcSessionName(target)));
      return host.call(target, name, args) as Promise<unknown>;
    };
}
