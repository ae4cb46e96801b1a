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
  readonly #webSocket: WebSocket;
  #retireTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #brokenSignal: Promise<never>;
  #rejectBroken: (error: RemoteBindingsError) => void = () => {};
  #broken: RemoteBindingsError | undefined;
  readonly #link: LinkWatch;
  readonly #watch: ReturnType<typeof setInterval>;

  /** `webSocket` is accepted and unused; `onBroken` runs once, when the session dies. */
  constructor(
    webSocket: WebSocket,
    place: SessionPlace,
    bounds: CallBounds,
    onBroken: (end: SessionEnd) => void,
  ) {
    this.#webSocket = webSocket;
    this.#place = place;
    this.#bounds = bounds;
    this.#onBroken = onBroken;
    this.#brokenSignal = new Promise<never>((_, reject) => (this.#rejectBroken = reject));
    this.#brokenSignal.catch(() => {});
    this.#link = new LinkWatch(bounds, Date.now);
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
    this.#transport = new SessionTransport(webSocket);
    const main = new RpcSession(this.#transport).getRemoteMain();
    (main as unknown as CapnwebMain).onRpcBroken((error) => this.#break(reasonOf(error)));
    this.#stub = main as unknown as SessionStub;
    this.#watch = setInterval(() => this.#check(), this.#link.period);
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
          this.#webSocket.close(1000, "access-bridge: token expired");
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
      return await Promise.race([result, this.#brokenSignal]);
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
    clearInterval(this.#watch);
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
