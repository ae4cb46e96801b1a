// The token source over loopback HTTP, for the tools whose configs cannot hold a Node function
// (`access-bridge dev` under wrangler, the Vite plugin): a server on 127.0.0.1, port 0, in the
// tool's own process, that answers only a request carrying this run's random key. The URL and
// the key reach the proxy client as text bindings of that Worker only, the way the credentials
// do (proxy-client-config.ts); neither is ever written to a file.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { BearerTokenSource } from "./bearer-token-source.js";
import { parseTokenRequest, tokenResponder } from "./bearer-token-source.js";
import { TOKEN_BROKER_BINDINGS, TOKEN_BROKER_KEY_HEADER } from "../shared/wire-protocol.js";

export interface TokenBroker {
  /** http://127.0.0.1:<port>/ */
  url: string;
  /**
   * The proxy client's text bindings that name the broker (its URL, and its key, which is a
   * secret): add them to the proxy client's credential variables, never to a file.
   */
  bindings: Record<string, string>;
  close(): Promise<void>;
}

/** Token requests are a few hundred bytes; anything much larger is not one. */
const MAX_BODY = 4096;

function sameKey(given: string | string[] | undefined, key: Buffer): boolean {
  if (typeof given !== "string") return false;
  const bytes = Buffer.from(given);
  return bytes.length === key.length && timingSafeEqual(bytes, key);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
  });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  let text = "";
  for await (const chunk of request) {
    text += String(chunk);
    if (text.length > MAX_BODY) return undefined;
  }
  return text;
}

export async function startTokenBroker(source: BearerTokenSource): Promise<TokenBroker> {
  const key = randomBytes(32).toString("base64url");
  const keyBytes = Buffer.from(key);
  const respond = tokenResponder(source);
  let host = "";
  // Not `import … from "node:http"`: Node's ES-module view of node:http reads every export,
  // which loads Node's own undici for its WebSocket getter (60–300 ms on 2 busy cores), and every
  // importer of this package paid for it at start-up, `access-bridge dev` before it starts wrangler.
  const { createServer } = process.getBuiltinModule("node:http");
  const server = createServer((request, response) => {
    // Only the proxy client, which has the key, may ask. The Host check also turns away a web
    // page that reaches this port through a DNS name rebound to 127.0.0.1.
    if (
      request.method !== "POST" ||
      request.url !== "/" ||
      request.headers.host !== host ||
      !sameKey(request.headers[TOKEN_BROKER_KEY_HEADER.toLowerCase()], keyBytes)
    ) {
      request.resume();
      send(response, 403, { error: "not a token request of this run" });
      return;
    }
    readBody(request)
      .then(async (text) => {
        const tokenRequest = text === undefined ? undefined : parseTokenRequest(text);
        if (tokenRequest === undefined) {
          send(response, 400, { error: "not a token request" });
          return;
        }
        const { status, body } = await respond(tokenRequest);
        send(response, status, body);
      })
      // The proxy client went away mid-request: nobody is left to answer.
      .catch(() => response.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  // It serves the tool's Workers while the tool runs, and never keeps the process alive itself.
  server.unref();
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = `http://${host}/`;
  return {
    url,
    bindings: { [TOKEN_BROKER_BINDINGS.URL]: url, [TOKEN_BROKER_BINDINGS.KEY]: key },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
