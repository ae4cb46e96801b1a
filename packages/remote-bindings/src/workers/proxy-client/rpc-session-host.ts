// One capnweb session per remote binding, shared by every call into the proxy client. workerd
// gives each call on a service binding its own WorkerEntrypoint instance and request context,
// and an I/O object (the WebSocket) cannot be used from another request's context; a Durable
// Object has one context of its own that outlives the calls, so the session lives here and the
// entrypoint forwards each call to it. Warm calls then cost one round trip, not a TCP connect,
// an upgrade and an Access check each.
//
// With a proxy server in OAuth mode, a session is authorised by the token it was opened with, and
// the proxy server closes it (4401) when that token expires. So before it does, the next call
// opens a new session with a renewed token and the calls after it go there, while what is under
// way on the old one carries on until its token expires (and if the renewal fails, the old one
// keeps serving until then); and a session closed with 4401 makes the next call open one with a
// fresh token.
import { DurableObject } from "cloudflare:workers";
import { WIRE } from "../../shared/wire-protocol.js";
import { forgetBearerLease, renewalDue, type BearerLease } from "./bearer-token.js";
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

interface OpenSession {
  live: LiveSession;
  /** The bearer token the session was opened with (OAuth mode). */
  lease?: BearerLease;
}

/** Only a token whose expiry is known is renewed ahead of time; any other waits for the 4401. */
function renewBeforeExpiry(
  session: OpenSession,
): session is OpenSession & { lease: { expiresAt: number } } {
  return session.lease?.expiresAt !== undefined && renewalDue(session.lease);
}

export class RpcSessionHost extends DurableObject<ProxyClientEnv> {
  #session: Promise<OpenSession> | undefined;

  /** Calls `method` on the remote binding over this object's session, opened on first use. */
  async call(target: RpcSessionTarget, method: string, args: unknown[]): Promise<unknown> {
    const session = await this.#current(target);
    return await session.live.call(method, args);
  }

  async #current(target: RpcSessionTarget): Promise<OpenSession> {
    let renewed = false;
    for (;;) {
      const pending = (this.#session ??= this.#open(target));
      let session: OpenSession;
      try {
        session = await pending;
      } catch (error) {
        // A renewal that failed put the session it was to replace back: use that one.
        if (this.#session !== undefined && this.#session !== pending) continue;
        throw error;
      }
      // Another call replaced it meanwhile: use that one.
      if (this.#session !== pending) continue;
      // At most once per call, so that a token source that cannot renew is not asked in a loop.
      if (renewed || !renewBeforeExpiry(session)) return session;
      renewed = true;
      const next = this.#open(target);
      this.#session = next;
      try {
        await next;
      } catch {
        // The renewal failed (the token source, the upgrade): the session in hand stays valid
        // until its token expires, so it serves this call, and the next call tries again.
        if (this.#session === undefined || this.#session === next) this.#session = pending;
        return session;
      }
      session.live.retire(session.lease.expiresAt);
    }
  }

  // Nothing is opened until a call needs it; calls made meanwhile wait for the same upgrade.
  // Calls go to the session's stub itself, never to a promise of it: capnweb refuses streams in
  // the parameters of calls queued on a promise ("owned payload shouldn't contain raw
  // ReadableStreams"). A refused upgrade or a lost session is forgotten, so the next call opens
  // a new one instead of failing forever.
  #open(target: RpcSessionTarget): Promise<OpenSession> {
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
    const session = openUpgrade(
      { remoteUrl: target.remoteUrl, url, binding: target.binding, path: "rpc" },
      this.env,
    ).then(({ webSocket, lease }): OpenSession => {
      const live = new LiveSession(webSocket, place, callBounds(this.env), (end) => {
        if (end === "token-expired" && lease !== undefined) {
          forgetBearerLease(target.remoteUrl, lease);
        }
        forget();
      });
      return lease === undefined ? { live } : { live, lease };
    });
    // Also keeps the promise from counting as unhandled when no call is waiting on it.
    session.catch(forget);
    return session;
  }
}
