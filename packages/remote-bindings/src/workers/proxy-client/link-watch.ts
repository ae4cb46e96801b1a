// Whether an RPC session's link is alive (live-session.ts acts on the answer). capnweb notices a
// close, but a stalled link (no bytes, no close) would leave calls waiting forever; so while a
// call or a probe waits, silence for `stallMs` means the link is dead, and after a third of that
// a probe asks; an idle session probes every `keepaliveMs`, which also keeps proxies from closing
// it. Pure: the clock is passed in.
import type { CallBounds } from "../../shared/call-bounds.js";

export type LinkCheck = "probe" | "stalled" | "fine";

export class LinkWatch {
  readonly #bounds: CallBounds;
  readonly #now: () => number;
  /** Calls and probes waiting for the proxy server. */
  #waiting = 0;
  #probing = false;
  /** Since when nothing has been heard while something waits (or since the last traffic). */
  #quietSince: number;

  constructor(bounds: CallBounds, now: () => number) {
    this.#bounds = bounds;
    this.#now = now;
    this.#quietSince = now();
  }

  /** How often to check(). */
  get period(): number {
    return Math.min(this.#bounds.stallMs / 3, this.#bounds.keepaliveMs);
  }

  /** Something arrived from the proxy server. */
  heard(): void {
    this.#quietSince = this.#now();
  }

  /** A call (or a probe) starts waiting; the silence that counts starts with the first. */
  begin(): void {
    if (this.#waiting++ === 0) this.#quietSince = this.#now();
  }

  end(): void {
    this.#waiting--;
  }

  /** A probe was sent; `probeSettled()` when it is answered or fails. */
  probeSent(): void {
    this.#probing = true;
    this.begin();
  }

  probeSettled(): void {
    this.#probing = false;
    this.end();
  }

  check(): LinkCheck {
    const quiet = this.#now() - this.#quietSince;
    if (this.#waiting === 0) return quiet >= this.#bounds.keepaliveMs ? "probe" : "fine";
    if (quiet >= this.#bounds.stallMs) return "stalled";
    return quiet >= this.#bounds.stallMs / 3 && !this.#probing ? "probe" : "fine";
  }
}
