// Test-only Worker: pipes a real connect() socket (to the test's TCP server on 127.0.0.1) over
// one end of a WebSocketPair with pipeSocketOverWebSocket, and plays the WebSocket's far end.
// GET /<scenario>?port=<tcp port>; each scenario answers what the far end saw, as JSON.
import { connect } from "cloudflare:sockets";
import { pipeSocketOverWebSocket } from "../../src/workers/shared/pipe-socket.js";

// The bytes both sides send (the test computes the same): a lost, doubled or moved byte shows.
function pattern(offset: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (offset + i) % 251;
  return bytes;
}

// Bounds each wait, so that a tunnel that never ends fails with a name instead of a test timeout.
function within<T>(promise: Promise<T>, what: string): Promise<T | string> {
  return Promise.race([
    promise,
    new Promise<string>((resolve) => setTimeout(() => resolve(`no ${what} within 10 s`), 10_000)),
  ]);
}

interface FarEnd {
  webSocket: WebSocket;
  piped: Promise<string>;
  /** Resolves once `length` bytes arrived, with all that arrived. */
  received(length: number): Promise<Uint8Array>;
  closed: Promise<{ code: number }>;
}

function tunnel(port: number): FarEnd {
  const socket = connect({ hostname: "127.0.0.1", port });
  const [farEnd, nearEnd] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
  nearEnd.accept();
  farEnd.accept();
  farEnd.binaryType = "arraybuffer";
  const piped = pipeSocketOverWebSocket(socket, nearEnd).then(() => "resolved");
  const chunks: Uint8Array[] = [];
  let total = 0;
  let waiter: { length: number; resolve: () => void } | undefined;
  farEnd.addEventListener("message", (event) => {
    const chunk = new Uint8Array(event.data as ArrayBuffer);
    chunks.push(chunk);
    total += chunk.byteLength;
    if (waiter !== undefined && total >= waiter.length) waiter.resolve();
  });
  const closed = new Promise<{ code: number }>((resolve) =>
    farEnd.addEventListener("close", (event) => resolve({ code: event.code })),
  );
  const concatenated = () => {
    const all = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      all.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return all;
  };
  return {
    webSocket: farEnd,
    piped,
    closed,
    async received(length) {
      if (total < length) await new Promise<void>((resolve) => (waiter = { length, resolve }));
      return concatenated();
    },
  };
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

// Asks the test's TCP server, on a second connection, how the tunnel's connection ended. Asked
// while this request (and so the tunnel's socket object) is still alive: workerd closes a
// request's sockets when it ends, which would end the connection even if the pipe had not.
async function tunnelConnectionEnd(port: number): Promise<string> {
  const control = connect({ hostname: "127.0.0.1", port });
  return within(new Response(control.readable).text(), "answer from the TCP server");
}

const SCENARIOS: Record<string, (port: number, url: URL) => Promise<unknown>> = {
  // The server sends `expect` bytes of the pattern; we send `sizes` chunks of the pattern, then a
  // text message, which travels as its UTF-8 bytes.
  async "both-ways"(port, url) {
    const far = tunnel(port);
    const sizes = (url.searchParams.get("sizes") ?? "").split(",").map(Number);
    let offset = 0;
    for (const size of sizes) {
      far.webSocket.send(pattern(offset, size));
      offset += size;
    }
    far.webSocket.send("text after the bytes");
    const expected = Number(url.searchParams.get("expect"));
    const received = await within(far.received(expected), `${expected} bytes from the server`);
    if (typeof received === "string") return { error: received };
    far.webSocket.close(1000, "done");
    return {
      receivedLength: received.byteLength,
      receivedSha256: await sha256(received),
      piped: await within(far.piped, "end of the pipe"),
      connection: await tunnelConnectionEnd(port),
    };
  },

  // The server sends "bye" and closes its end of the connection.
  async "tcp-closes-first"(port) {
    const far = tunnel(port);
    const received = await within(far.received(3), "bytes from the server");
    return {
      received: typeof received === "string" ? received : text(received),
      closed: await within(far.closed, "WebSocket close"),
      piped: await within(far.piped, "end of the pipe"),
    };
  },

  // We send "hi" and close the WebSocket; the server reports what it saw and how it ended.
  async "websocket-closes-first"(port) {
    const far = tunnel(port);
    far.webSocket.send("hi");
    far.webSocket.close(1000, "done");
    return {
      piped: await within(far.piped, "end of the pipe"),
      connection: await tunnelConnectionEnd(port),
    };
  },
};

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const scenario = SCENARIOS[url.pathname.slice(1)];
    const port = Number(url.searchParams.get("port"));
    if (scenario === undefined) return new Response(`no scenario ${url.pathname}`, { status: 404 });
    return Response.json(await scenario(port, url));
  },
};
