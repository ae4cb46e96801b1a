// One capnweb session per remote binding, shared by every call into the proxy client. workerd
// gives each call on a service binding its own WorkerEntrypoint instance and request context,
// and an I/O object (the WebSocket) cannot be used from another request's context; a Durable
// Object has one context of its own that outlives the calls, so the session lives here and the
// entrypoint forwards each call to it. Warm calls then cost one round trip, not a TCP connect,
// an upgrade and an Access check each.
import { DurableObject } from "cloudflare:workers";
import { WIRE } from "../../wire-protocol.js";
import { callBounds } from "./call-bounds.js";
import type { ProxyClientEnv } from "./client-env.js";
import { redact } from "./client-env.js";
import { LiveSession } from "./live-session.js";
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

export class RpcSessionHost extends DurableObject<ProxyClientEnv> {
  #session: Promise<LiveSession> | undefined;

  /** Calls `method` on the remote binding over this object's session, opened on first use. */
  async call(target: RpcSessionTarget, method: string, args: unknown[]): Promise<unknown> {
    const session = await (this.#session ??= this.#open(target));
    return await session.call(method, args);
  }

  // Nothing is opened until a call needs it; calls made meanwhile wait for the same upgrade.
  // Calls go to the session's stub itself, never to a promise of it: capnweb refuses streams in
  // the parameters of calls queued on a promise ("owned payload shouldn't contain raw
  // ReadableStreams"). A refused upgrade or a lost session is forgotten, so the next call opens
  // a new one instead of failing forever.
  #open(target: RpcSessionTarget): Promise<LiveSession> {
    const url = new URL(target.remoteUrl);
    url.searchParams.set(WIRE.BINDING, target.binding);
    if (target.dispatchOptions !== undefined) {
      url.searchParams.set(WIRE.DISPATCH_NAMESPACE_OPTIONS, target.dispatchOptions);
    }
    const forget = () => {
      if (this.#session === session) this.#session = undefined;
    };
    const place = {
      binding: target.binding,
      host: url.host,
      redact: (text: string) => redact(text, this.env),
    };
    const session = openUpgrade({ url, binding: target.binding, path: "rpc" }, this.env).then(
      (webSocket) => new LiveSession(webSocket, place, callBounds(this.env), forget),
    );
    // Also keeps the promise from counting as unhandled when no call is waiting on it.
    session.catch(forget);
    return session;
  }
}
