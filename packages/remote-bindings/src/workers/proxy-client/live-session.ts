// One capnweb session over an upgraded WebSocket, watched (link-watch.ts): when the connection
// closes, fails, or stops answering, every call on it fails at once with an error that names the
// binding (and every stream it carries ends with that error), and the owner is told so that the
// next call opens a new session. A proxy server in OAuth mode closes the session with 4401 when
// the token that opened it expires; the owner is told, so that the next session gets a new token.
import { RpcSession } from "capnweb";
import { RemoteBindingsError } from "../../shared/errors.js";
import { TOKEN_EXPIRED_CLOSE_CODE } from "../../shared/wire-protocol.js";
import type { CallBounds } from "./call-bounds.js";
import { formatBound } from "./call-bounds.js";
import { LinkWatch } from "./link-watch.js";
import { SessionTransport } from "./session-transport.js";

interface SessionStub {
  [method: string]: (...args: unknown[]) => Promise<unknown>;
}
interface CapnwebMain {
  map(mapper: () => null): Promise<unknown>;
  onRpcBroken(callback: (error: unknown) => void): void;
}

export interface SessionPlace {
  binding: string;
  /** The proxy server's host, for messages. */
  host: string;
  /** Takes every credential out of text that came from the network. */
  redact(text: string): string;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === "object" || typeof value === "function") &&
  value !== null &&
  typeof (value as { then?: unknown }).then === "function";

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Why a session ended: its access token expired (the owner then needs a new one), or it was lost. */
export type SessionEnd = "token-expired" | "lost";

const TOKEN_EXPIRED =
  "the access token it was opened with expired (the proxy server is in OAuth mode)";

export class LiveSession {
  readonly #transport: SessionTransport;
  readonly #stub: SessionStub;
  readonly #place: SessionPlace;
  readonly #bounds: CallBounds;
  readonly #onBroken: (end: SessionEnd) => void;
  #webSocket: WebSocket | undefined;
  #retireTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #brokenSignal: Promise<never>;
  #rejectBroken: (error: RemoteBindingsError) => void = () => {};
  #broken: RemoteBindingsError | undefined;
  readonly #link: LinkWatch;
  #watch: ReturnType<typeof setInterval> | undefined;

  /**
   * A session whose upgrade is under way: calls made on it wait in its transport until open()
   * or failToOpen(). `onBroken` runs once, when an opened session dies.
   */
  constructor(place: SessionPlace, bounds: CallBounds, onBroken: (end: SessionEnd) => void) {
    this.#place = place;
    this.#bounds = bounds;
    this.#onBroken = onBroken;
    this.#brokenSignal = new Promise<never>((_, reject) => (this.#rejectBroken = reject));
    this.#brokenSignal.catch(() => {});
    this.#link = new LinkWatch(bounds, Date.now);
    this.#transport = new SessionTransport();
    const main = new RpcSession(this.#transport).getRemoteMain();
    (main as unknown as CapnwebMain).onRpcBroken((error) => this.#break(reasonOf(error)));
    this.#stub = main as unknown as SessionStub;
  }

  /** What the session has sent so far, waiting for the socket (first-messages.ts). */
  get unsent(): readonly string[] {
    return this.#transport.unsent;
  }

  /**
   * The upgrade was answered: `webSocket` is accepted and unused, and the proxy server already
   * took the first `delivered` messages from the upgrade request.
   */
  open(webSocket: WebSocket, delivered: number): void {
    if (this.#broken) {
      webSocket.close(1000, "access-bridge: session lost");
      return;
    }
    this.#webSocket = webSocket;
    // Registered before capnweb's own listeners, so a call that fails because the connection
    // went away is already known to have failed for that reason.
    webSocket.addEventListener("message", () => this.#link.heard());
    webSocket.addEventListener("close", (event) =>
      event.code === TOKEN_EXPIRED_CLOSE_CODE
        ? this.#break(`${TOKEN_EXPIRED} (WebSocket close ${event.code})`, "token-expired")
        : this.#break(
            `the connection was closed (WebSocket close ${event.code}` +
              (event.reason ? `: ${event.reason})` : ")"),
          ),
    );
    webSocket.addEventListener("error", () => this.#break("the connection failed"));
    this.#transport.attach(webSocket, delivered);
    // The 101 is the proxy server's answer: the silence that counts starts now.
    this.#link.heard();
    this.#watch = setInterval(() => this.#check(), this.#link.period);
  }

  /** The upgrade failed: every call made on the session fails with its error. */
  failToOpen(error: unknown): void {
    if (this.#broken) return;
    this.#broken =
      error instanceof RemoteBindingsError
        ? error
        : new RemoteBindingsError("ERR_REMOTE_UNREACHABLE", reasonOf(error));
    this.#rejectBroken(this.#broken);
    this.#transport.fail(this.#broken);
  }

  get broken(): boolean {
    return this.#broken !== undefined;
  }

  /**
   * A newer session takes the new calls. This one keeps serving what is under way on it (calls,
   * streams, stubs it returned) until `expiresAt`, when the proxy server would close it anyway.
   */
  retire(expiresAt: number): void {
    if (this.#broken || this.#retireTimer !== undefined) return;
    this.#retireTimer = setTimeout(
      () => {
        this.#break(TOKEN_EXPIRED, "token-expired");
        try {
          this.#webSocket?.close(1000, "access-bridge: token expired");
        } catch {
          // Already closed.
        }
      },
      Math.max(0, expiresAt - Date.now()),
    );
  }

  async call(method: string, args: unknown[]): Promise<unknown> {
    return this.settle(this.main()[method]!(...args));
  }

  /** The session's capnweb stub, to make calls on (and pipeline on their promises). */
  main(): SessionStub {
    if (this.#broken) throw this.#broken;
    return this.#stub;
  }

  /** Awaits what a call on main() gave, watched like every call of this session. */
  async settle(result: unknown): Promise<unknown> {
    if (this.#broken) throw this.#broken;
    this.#link.begin();
    try {
      // then() now, not in the microtask that Promise.race() would take for a thenable: capnweb
      // asks for the answer ("pull") when then() is called, and a session still opening sends
      // both messages with its upgrade (first-messages.ts) only when both are there.
      const answer = isThenable(result)
        ? new Promise((resolve, reject) => void result.then(resolve, reject))
        : result;
      return await Promise.race([answer, this.#brokenSignal]);
    } catch (error) {
      throw this.#broken ?? error;
    } finally {
      this.#link.end();
    }
  }

  // A capnweb round trip that the remote binding never sees: map() runs its (empty) mapper in
  // the proxy server's capnweb, on the session's main stub, and calls nothing on the binding.
  #probe(): void {
    this.#link.probeSent();
    (this.#stub as unknown as CapnwebMain)
      .map(() => null)
      .catch(() => {})
      .finally(() => this.#link.probeSettled());
  }

  #check(): void {
    const check = this.#link.check();
    if (check === "probe") this.#probe();
    else if (check === "stalled") {
      this.#break(`no answer for ${formatBound(this.#bounds.stallMs)}: the link stalled`);
    }
  }

  #break(reason: string, end: SessionEnd = "lost"): void {
    if (this.#broken) return;
    if (this.#watch !== undefined) clearInterval(this.#watch);
    if (this.#retireTimer !== undefined) clearTimeout(this.#retireTimer);
    this.#broken = new RemoteBindingsError(
      "ERR_REMOTE_UNREACHABLE",
      `Remote binding "${this.#place.binding}" (rpc): the session with the proxy server at ` +
        `${this.#place.host} was lost: ${this.#place.redact(reason)}. A call that was under way may or may not have ` +
        `run on the remote. The next call opens a new session` +
        (end === "token-expired" ? ", with a fresh token." : "."),
    );
    this.#rejectBroken(this.#broken);
    // capnweb then aborts the session (rejecting what waits on it) and closes the WebSocket.
    this.#transport.fail(this.#broken);
    this.#onBroken(end);
  }
}
