/**
 * An upgraded connection (an RPC session, a `connect()` socket) is authorised once, at the
 * upgrade, and could otherwise outlive its token by hours: past its expiry, past a revocation,
 * past its owner leaving the allow list. So the OAuth layer stands between the proxy server's
 * WebSocket and the client's, relays every message, and closes both with 4401 when the token that
 * opened the connection expires, or when a periodic check finds it revoked (a logout, an admin
 * revoking the grant, reuse detection). The proxy client treats both alike: it reconnects with
 * a fresh token, or, when there is none to be had, says to sign in again.
 */
export const TOKEN_EXPIRED_CLOSE_CODE = 4401;
const TOKEN_EXPIRED_REASON = "The access token expired; reconnect with a fresh one.";
const REVOKED_REASON = "The sign-in behind this session was revoked; sign in again.";

export interface SessionBounds {
  /** Epoch seconds; the session is closed then. */
  expiresAt: number | undefined;
  /** Whether the token and the sign-in behind it still stand; asked every `recheckMs`. */
  stillAuthorised(): Promise<boolean>;
  recheckMs: number;
}

export function boundToTokenLifetime(
  response: Response,
  { expiresAt, stillAuthorised, recheckMs }: SessionBounds,
  ctx: ExecutionContext,
): Response {
  const inner = response.webSocket;
  if (response.status !== 101 || inner === null || expiresAt === undefined) return response;
  const { 0: outer, 1: relay } = new WebSocketPair();
  inner.accept();
  relay.accept();
  // Binary messages arrive as Blobs under websocket_standard_binary_type, and send() would turn a
  // Blob into the text "[object Blob]": a connect() tunnel carries bytes.
  inner.binaryType = "arraybuffer";
  relay.binaryType = "arraybuffer";
  let timer: number | null = null;
  let recheck: number | null = null;
  const closed = new Promise<void>((resolve) => {
    const end = (code: number, reason: string) => {
      if (timer !== null) clearTimeout(timer);
      if (recheck !== null) clearInterval(recheck);
      for (const socket of [inner, relay]) {
        try {
          socket.close(code, reason);
        } catch {
          // Already closed.
        }
      }
      resolve();
    };
    // 1005 and 1006 describe a close; they may not be sent in one (RFC 6455 §7.4.1).
    const onClose = (event: CloseEvent) =>
      end(event.code === 1005 || event.code === 1006 ? 1000 : event.code, event.reason);
    inner.addEventListener("message", (event) => relay.send(event.data));
    relay.addEventListener("message", (event) => inner.send(event.data));
    inner.addEventListener("close", onClose);
    relay.addEventListener("close", onClose);
    inner.addEventListener("error", () => end(1011, "The binding's connection failed."));
    relay.addEventListener("error", () => end(1011, "The client's connection failed."));
    timer = setTimeout(
      () => end(TOKEN_EXPIRED_CLOSE_CODE, TOKEN_EXPIRED_REASON),
      Math.max(0, expiresAt * 1000 - Date.now()),
    );
    let checking = false;
    recheck = setInterval(() => {
      if (checking) return;
      checking = true;
      stillAuthorised()
        .then((authorised) => {
          if (!authorised) end(TOKEN_EXPIRED_CLOSE_CODE, REVOKED_REASON);
        })
        // A check that fails (KV unreachable) proves nothing either way: the next one decides,
        // and the token's expiry still bounds the session.
        .catch(() => undefined)
        .finally(() => (checking = false));
    }, recheckMs);
  });
  ctx.waitUntil(closed);
  return new Response(null, { status: 101, webSocket: outer, headers: response.headers });
}
