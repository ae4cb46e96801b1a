// The proxy server, deployed on workers.dev behind Cloudflare Access. The server side of
// workers-sdk's remote proxy protocol, so wrangler's client works against it too.
import { newWorkersRpcResponse, RpcSession, WebSocketTransport } from "capnweb";
import { WIRE } from "../shared/wire-protocol.js";
import type { ProxyServerEnv } from "./proxy-server/resolve-binding.js";
import { BadRequestError, resolveBinding } from "./proxy-server/resolve-binding.js";
import { isByteCall, serveByteCall } from "./proxy-server/byte-call.js";
import { rpcTargetFor, servedAsIs } from "./proxy-server/rpc-target.js";
import { FirstMessagesTransport } from "./proxy-server/first-messages-transport.js";
import {
  decodeFirstMessages,
  FIRST_MESSAGES,
  FIRST_MESSAGES_MAX_BYTES,
} from "./shared/first-messages.js";
import { verifyAccessJwt } from "./proxy-server/verify-access-jwt.js";
import { pipeSocketOverWebSocket } from "./shared/pipe-socket.js";

const CONNECT_ADDRESS = /^[A-Za-z0-9.\-[\]:]{1,255}:(\d{1,5})$/;

function connectAddress(request: Request): string {
  const address = request.headers.get(WIRE.CONNECT_ADDRESS) ?? "";
  const port = Number(CONNECT_ADDRESS.exec(address)?.[1] ?? NaN);
  if (!(port >= 1 && port <= 65535)) {
    throw new BadRequestError(`${WIRE.CONNECT_ADDRESS} must be "host:port", the port 1 to 65535.`);
  }
  return address;
}

async function handleConnect(
  request: Request,
  env: ProxyServerEnv,
  ctx: ExecutionContext,
): Promise<Response> {
  const address = connectAddress(request);
  const name = request.headers.get(WIRE.BINDING);
  const binding = resolveBinding(env, name, null) as Fetcher;
  if (typeof binding.connect !== "function") {
    throw new BadRequestError(`Binding "${name}" has no connect().`);
  }
  const socket = binding.connect(address);
  // Every service binding has connect(), whether or not its Worker handles it: wait until the
  // socket is open, so that a refusal is an answer with a reason rather than a tunnel that
  // closes at once.
  try {
    await socket.opened;
  } catch (error) {
    await socket.close().catch(() => {});
    // workerd says the same whether the address refused the connection or the binding's Worker
    // has no connect handler, so the request is refused with what it said.
    const reason = error instanceof Error ? error.message : String(error);
    return plain(400, `connect() through binding "${name}" to ${address} failed: ${reason}`);
  }
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  ctx.waitUntil(pipeSocketOverWebSocket(socket, server));
  return new Response(null, { status: 101, webSocket: client });
}

function handleRpc(request: Request, env: ProxyServerEnv): Response | Promise<Response> {
  const query = new URL(request.url).searchParams;
  const target = resolveBinding(
    env,
    query.get(WIRE.BINDING),
    query.get(WIRE.DISPATCH_NAMESPACE_OPTIONS),
  );
  const first = request.headers.get(FIRST_MESSAGES.REQUEST);
  if (first === null) return newWorkersRpcResponse(request, rpcTargetFor(target));
  const messages = decodeFirstMessages(first);
  if (messages === undefined) {
    throw new BadRequestError(
      `${FIRST_MESSAGES.REQUEST} must be a URI-encoded JSON array of strings, at most ` +
        `${FIRST_MESSAGES_MAX_BYTES} bytes.`,
    );
  }
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  const transport = new FirstMessagesTransport(messages, new WebSocketTransport(server));
  new RpcSession(transport, rpcTargetFor(target));
  return new Response(null, {
    status: 101,
    webSocket: client,
    headers: { [FIRST_MESSAGES.TAKEN]: String(messages.length) },
  });
}

function originalUrl(request: Request): string {
  const value = request.headers.get(WIRE.URL) ?? "http://example.com";
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new BadRequestError(`${WIRE.URL} must be an absolute http(s) URL.`);
  }
  return value;
}

// Marked so that the client never takes a binding's own answer (a 403 page of its own, a redirect
// to an Access login) for Access's or this Worker's: it classifies only unmarked answers, as
// Miniflare's does. A WebSocket answer cannot be rebuilt, and needs no mark.
function forwarded(response: Response): Response {
  if (response.webSocket) return response;
  const marked = new Response(response.body, response);
  marked.headers.set(WIRE.FORWARDED_RESPONSE, "true");
  return marked;
}

async function handleFetch(request: Request, env: ProxyServerEnv): Promise<Response> {
  const target = resolveBinding(
    env,
    request.headers.get(WIRE.BINDING),
    request.headers.get(WIRE.DISPATCH_NAMESPACE_OPTIONS),
  ) as Partial<Fetcher>;
  // A binding with a fetch() of its own gets every request; the others (R2, Workers AI, …) take
  // byte calls, whose bodies travel as bytes (proxy-server/byte-call.ts).
  if (!servedAsIs(target) && isByteCall(request)) return serveByteCall(request, target);
  if (typeof target.fetch !== "function") {
    throw new BadRequestError(`Binding "${request.headers.get(WIRE.BINDING)}" has no fetch().`);
  }
  const prefix = WIRE.HEADER_PREFIX.toLowerCase();
  const headers = new Headers();
  for (const [name, value] of request.headers) {
    if (name.startsWith(prefix)) headers.set(name.slice(prefix.length), value);
    // workerd refuses to return a WebSocket to a request without "Upgrade: websocket".
    else if (name === "upgrade") headers.set(name, value);
  }
  // The binding's own fetch(), never the global one: MF-URL cannot send this Worker elsewhere.
  const response = await target.fetch(originalUrl(request), {
    method: request.method,
    headers,
    body: request.body,
    redirect: "manual",
  });
  return forwarded(response);
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export default {
  async fetch(request, env, ctx) {
    const refusal = await verifyAccessJwt(request, env);
    if (refusal) return refusal;
    try {
      const upgrade = request.headers.get("Upgrade")?.toLowerCase() === "websocket";
      if (upgrade && request.headers.has(WIRE.CONNECT_ADDRESS)) {
        return await handleConnect(request, env, ctx);
      }
      if (upgrade && new URL(request.url).searchParams.has(WIRE.BINDING)) {
        return await handleRpc(request, env);
      }
      return await handleFetch(request, env);
    } catch (error) {
      if (error instanceof BadRequestError) return plain(400, error.message);
      return plain(
        500,
        `The proxy server failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  },
} satisfies ExportedHandler<ProxyServerEnv>;
