// Which RPC session a call goes to (rpc-session-host.ts holds one chooser per remote binding).
// One session at a time, opened on first use and shared by every call; a lost one is forgotten so
// that the next call opens another. In OAuth mode a session is authorised by the token it was
// opened with, and the proxy server closes it (4401) when that token expires, so before it does
// the next call opens a new session with a renewed token and the calls after it go there; the old
// one is retired at its token's expiry, so what is under way on it carries on until then. If the
// renewal fails, the old session keeps serving until its token expires. Pure: the opening and the
// clock are passed in.
import { renewalDue, type BearerLease } from "./renewal.js";

export interface ChoosableSession {
  /** The bearer token the session was opened with (OAuth mode). */
  readonly lease?: BearerLease;
  /** A newer session takes the new calls; this one closes at `expiresAt` (epoch ms). */
  retire(expiresAt: number): void;
}

export class SessionChoice<Session extends ChoosableSession> {
  readonly #open: () => Promise<Session>;
  readonly #now: () => number;
  #session: Promise<Session> | undefined;

  constructor(open: () => Promise<Session>, now: () => number) {
    this.#open = open;
    this.#now = now;
  }

  /**
   * Opens a session, to be forgotten when it fails to open. Calls made meanwhile wait for the
   * same one.
   */
  #opened(): Promise<Session> {
    const session = this.#open();
    // Also keeps the promise from counting as unhandled when no call is waiting on it.
    session.catch(() => this.forget(session));
    return session;
  }

  /** The session `session` was lost (closed, failed, stalled): the next call opens a new one. */
  forget(session: Promise<Session>): void {
    if (this.#session === session) this.#session = undefined;
  }

  /** The session for the next call. */
  async current(): Promise<Session> {
    let renewed = false;
    for (;;) {
      const pending = (this.#session ??= this.#opened());
      let session: Session;
      try {
        session = await pending;
      } catch (error) {
        // A renewal that failed put the session it was to replace back: use that one.
        if (this.#session !== undefined && this.#session !== pending) continue;
        throw error;
      }
      // Another call replaced it meanwhile: use that one.
      if (this.#session !== pending) continue;
      // Only a token whose expiry is known is renewed ahead of time; any other waits for the
      // 4401. At most once per call, so that a token source that cannot renew is not asked in a
      // loop.
      const expiresAt = session.lease?.expiresAt;
      if (renewed || expiresAt === undefined || !renewalDue(session.lease!, this.#now())) {
        return session;
      }
      renewed = true;
      const next = this.#opened();
      this.#session = next;
      try {
        await next;
      } catch {
        // The renewal failed (the token source, the upgrade): the session in hand stays valid
        // until its token expires, so it serves this call, and the next call tries again.
        if (this.#session === undefined || this.#session === next) this.#session = pending;
        return session;
      }
      session.retire(expiresAt);
    }
  }
}
