// One capnweb session per remote binding, shared by every call into the proxy client. workerd
// gives each call on a service binding its own WorkerEntrypoint instance and request context,
// and an I/O object (the WebSocket) cannot be used from another request's context; a Durable
// Object has one context of its own that outlives the calls, so the session lives here and the
// entrypoint forwards each call to it. Warm calls then cost one round trip, not a TCP connect,
// an upgrade and an Access check each.
//
// Which session a call takes, and its renewal in OAuth mode: session-choice.ts.
import { DurableObject } from "cloudflare:workers";
import type { ChainStep } from "../../shared/chain-steps.js";
import { WIRE } from "../../shared/wire-protocol.js";
import { forgetBearerLease, type BearerLease } from "./bearer-token.js";
import { callBounds } from "./call-bounds.js";
import type { ProxyClientEnv } from "./client-env.js";
import { LiveSession } from "./live-session.js";
import { openUpgrade } from "./open-upgrade.js";
import { encodeFirstMessages, FIRST_MESSAGES } from "../shared/first-messages.js";
import { failedSession, PendingChain } from "./pending-chain.js";
import { redact } from "./redaction.js";
import { SessionChoice } from "./session-choice.js";

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
  retire(expiresAt: number): void;
}

export class RpcSessionHost extends DurableObject<ProxyClientEnv> {
  // One Durable Object per target (rpcSessionName), so one chooser.
  #choice: SessionChoice<OpenSession> | undefined;
  /** The session #open() has just begun, for the call that made it open one. */
  #opening: LiveSession | undefined;

  /** Calls `method` on the remote binding over this object's session, opened on first use. */
  async call(target: RpcSessionTarget, method: string, args: unknown[]): Promise<unknown> {
    this.#choice ??= new SessionChoice(() => this.#open(target), Date.now);
    this.#takeOpening();
    const current = this.#choice.current();
    // current() opens a session, if it needs one, before it first waits. The call that made it
    // open one goes on it at once, so that it travels with the upgrade (first-messages.ts) rather
    // than a round trip after it; the upgrade's failure is then the call's.
    const opening = this.#takeOpening();
    if (opening !== undefined) {
      current.catch(() => {});
      return await opening.call(method, args);
    }
    const session = await current;
    return await session.live.call(method, args);
  }

  #takeOpening(): LiveSession | undefined {
    const opening = this.#opening;
    this.#opening = undefined;
    return opening;
  }

  /**
   * Replays a chain of calls recorded in the user's isolate on this object's session, pipelined
   * by capnweb, and returns at once (pending-chain.ts): the caller pipelines more steps and asks
   * for values on it.
   */
  async chain(target: RpcSessionTarget, steps: ChainStep[]): Promise<PendingChain> {
    this.#choice ??= new SessionChoice(() => this.#open(target), Date.now);
    this.#takeOpening();
    const current = this.#choice.current();
    // As for call(): a chain that made the session open goes on it at once, with the upgrade.
    const opening = this.#takeOpening();
    if (opening !== undefined) current.catch(() => {});
    // A failure to open the session shows on the steps the caller awaits: the chain itself is
    // never awaited by the facade, so its rejection would be nobody's.
    const session =
      opening ??
      (await current.then(
        ({ live }) => live,
        (error: unknown) => failedSession(error),
      ));
    const chain = new PendingChain(session);
    chain.extend(steps);
    return chain;
  }

  // Calls go to the session's stub itself, never to a promise of it: capnweb refuses streams in
  // the parameters of calls queued on a promise ("owned payload shouldn't contain raw
  // ReadableStreams").
  #open(target: RpcSessionTarget): Promise<OpenSession> {
    const url = new URL(target.remoteUrl);
    url.searchParams.set(WIRE.BINDING, target.binding);
    if (target.dispatchOptions !== undefined) {
      url.searchParams.set(WIRE.DISPATCH_NAMESPACE_OPTIONS, target.dispatchOptions);
    }
    const place = {
      binding: target.binding,
      host: url.host,
      redact: (text: string) => redact(text, this.env),
    };
    let lease: BearerLease | undefined;
    const live = new LiveSession(place, callBounds(this.env), (end) => {
      if (end === "token-expired" && lease !== undefined) {
        forgetBearerLease(target.remoteUrl, lease);
      }
      this.#choice?.forget(session);
    });
    this.#opening = live;
    const session: Promise<OpenSession> = (async () => {
      // Lets the call that opened the session send its messages first.
      await Promise.resolve();
      const first = encodeFirstMessages(live.unsent);
      try {
        const upgraded = await openUpgrade(
          {
            remoteUrl: target.remoteUrl,
            url,
            binding: target.binding,
            path: "rpc",
            ...(first === undefined ? {} : { headers: { [FIRST_MESSAGES.REQUEST]: first.header } }),
          },
          this.env,
        );
        lease = upgraded.lease;
        const taken = Number(upgraded.headers.get(FIRST_MESSAGES.TAKEN) ?? 0);
        live.open(upgraded.webSocket, first !== undefined && taken === first.count ? taken : 0);
      } catch (error) {
        live.failToOpen(error);
        throw error;
      }
      const retire = (expiresAt: number) => live.retire(expiresAt);
      return lease === undefined ? { live, retire } : { live, lease, retire };
    })();
    return session;
  }
}
