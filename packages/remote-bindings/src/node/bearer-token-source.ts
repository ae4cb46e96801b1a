// The bearer token of a proxy server in OAuth mode lives an hour and is renewed with a refresh
// token that must stay in Node, so the proxy client cannot hold it as a text binding the way it
// holds a service token: it asks a token source in Node whenever it has none, the one it has
// nears expiry, or the proxy server refused it. This is the Node end of that question, shared by
// the Miniflare API (a Node-function service binding) and the loopback broker (token-broker.ts).
// This package does not log anyone in: `accessTokenSource({ remote })` of
// @access-bridge/auth-relay is a token source as it is.
import { TOKEN_SOURCE_TIMEOUT_MS } from "../shared/call-bounds.js";
import type { TokenAnswer, TokenRequest } from "../shared/wire-protocol.js";

/** A bearer token and, when known, when it expires. */
export interface BearerToken {
  token: string;
  /** Epoch milliseconds. Without it the proxy client asks again every minute. */
  expiresAt?: number;
}

export interface BearerTokenSource {
  /**
   * A token for the proxy server, valid for a while yet. Called when the proxy client has none,
   * when the one it has expires within a minute (half its lifetime, for shorter ones), and once
   * more after the proxy server refused one: then `refused` is that token, and a source that can
   * get another (by a refresh) should, even if the refused one has not expired (it may have been
   * revoked). `signal` aborts after 25 s, when the call that waits gives up. A rejection is shown
   * on the call that needed the token: its message must say what to do and must not contain a
   * token.
   */
  token(signal?: AbortSignal, refused?: string): Promise<string | BearerToken>;
}

export interface TokenAnswerWithStatus {
  status: number;
  body: TokenAnswer;
}

// Header-safe (RFC 6750 §2.1 b64token, generously): the value goes into Authorization as it is.
const TOKEN_SHAPE = /^[\x21-\x7e]+$/;

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  // An access-bridge error's message leads with its code; its detail is the words alone. Read by
  // shape, not instanceof: the source may come from another copy of the package.
  const detail = (error as { detail?: unknown }).detail;
  const words = typeof detail === "string" ? detail : error.message;
  return typeof code === "string" && !words.includes(code) ? `${words} (${code})` : words;
}

/** The source's answer, or a rejection once `signal` aborts: a source that hangs fails the call. */
function askWithin(
  source: BearerTokenSource,
  timeoutMs: number,
  refused: string | undefined,
): Promise<string | BearerToken> {
  const signal = AbortSignal.timeout(timeoutMs);
  const asked = source.token(signal, refused);
  const timedOut = new Promise<never>((_, reject) => {
    signal.addEventListener("abort", () =>
      reject(new Error(`the token source did not answer within ${timeoutMs / 1000} s.`)),
    );
  });
  // Whichever loses is settled later with nobody waiting: not an unhandled rejection.
  asked.catch(() => {});
  timedOut.catch(() => {});
  return Promise.race([asked, timedOut]);
}

/**
 * Answers the proxy client's token requests from `source`. Concurrent requests share one call of
 * the source: a refresh rotates the refresh token, and two refreshes with the same one race.
 */
export function tokenResponder(
  source: BearerTokenSource,
  timeoutMs = TOKEN_SOURCE_TIMEOUT_MS,
): (request: TokenRequest | undefined) => Promise<TokenAnswerWithStatus> {
  let inFlight: Promise<TokenAnswerWithStatus> | undefined;
  const handedOut = new Set<string>();
  /** The token last given out: the one the proxy client means when it says one was refused. */
  let latest: string | undefined;
  const answer = async (refused: string | undefined): Promise<TokenAnswerWithStatus> => {
    let value: string | BearerToken;
    try {
      value = await askWithin(source, timeoutMs, refused);
    } catch (error) {
      let message = describeError(error);
      // A source should never put a token in its message; if it did, it is not passed on.
      for (const token of handedOut) message = message.split(token).join("[redacted]");
      return { status: 502, body: { error: message } };
    }
    const { token, expiresAt } = typeof value === "string" ? { token: value } : (value ?? {});
    if (typeof token !== "string" || !TOKEN_SHAPE.test(token)) {
      return {
        status: 502,
        body: {
          error:
            "the token source gave something that is not a token (a non-empty string of printable characters).",
        },
      };
    }
    handedOut.add(token);
    latest = token;
    const known = typeof expiresAt === "number" && Number.isFinite(expiresAt);
    return { status: 200, body: known ? { token, expiresAt } : { token } };
  };
  return (request) => {
    const refused = request?.reason === "refused" ? latest : undefined;
    inFlight ??= answer(refused).finally(() => (inFlight = undefined));
    return inFlight;
  };
}

export function parseTokenRequest(text: string): TokenRequest | undefined {
  try {
    const value = JSON.parse(text) as TokenRequest;
    return typeof value?.remote === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The token source as a Node-function service binding of the proxy client (Miniflare API). */
export function tokenSourceBinding(
  source: BearerTokenSource,
): (request: Request) => Promise<Response> {
  const respond = tokenResponder(source);
  return async (request) => {
    const { status, body } = await respond(parseTokenRequest(await request.text()));
    return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
  };
}
