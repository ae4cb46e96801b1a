// The proxy server, deployed on workers.dev behind Cloudflare Access. The server side of
// workers-sdk's remote proxy protocol, so wrangler's client works against it too.
import { newWorkersRpcResponse } from "capnweb";
import { WIRE } from "../wire-protocol.js";
import type { ProxyServerEnv } from "./proxy-server/resolve-binding.js";
import { resolveBinding, UnknownBindingError } from "./proxy-server/resolve-binding.js";
import { rpcTargetFor } from "./proxy-server/storage-adapters.js";
import { verifyAccessJwt } from "./proxy-server/verify-access-jwt.js";
import { pipeSocketOverWebSocket } from "./shared/pipe-socket.js";

function handleConnect(request: Request, env: ProxyServerEnv, ctx: ExecutionContext): Response {
  const address = request.headers.get(WIRE.CONNECT_ADDRESS) as string;
  const binding = resolveBinding(env, request.headers.get(WIRE.BINDING), null) as Fetcher;
  const socket = binding.connect(address);
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  ctx.waitUntil(pipeSocketOverWebSocket(socket, server));
  return new Response(null, { status: 101, webSocket: client });
}

function handleRpc(request: Request, env: ProxyServerEnv): Promise<Response> {
  const query = new URL(request.url).searchParams;
  const target = resolveBinding(
    env,
    query.get(WIRE.BINDING),
    query.get(WIRE.DISPATCH_NAMESPACE_OPTIONS),
  );
  return newWorkersRpcResponse(request, rpcTargetFor(target));
}

function handleFetch(request: Request, env: ProxyServerEnv): Promise<Response> {
  const target = resolveBinding(
    env,
    request.headers.get(WIRE.BINDING),
    request.headers.get(WIRE.DISPATCH_NAMESPACE_OPTIONS),
  ) as Fetcher;
  const prefix = WIRE.HEADER_PREFIX.toLowerCase();
  const headers = new Headers();
  for (const [name, value] of request.headers) {
    if (name.startsWith(prefix)) headers.set(name.slice(prefix.length), value);
    // workerd refuses to return a WebSocket to a request without "Upgrade: websocket".
    else if (name === "upgrade") headers.set(name, value);
  }
  return target.fetch(request.headers.get(WIRE.URL) ?? "http://example.com", {
    method: request.method,
    headers,
    body: request.body,
    redirect: "manual",
  });
}

export default {
  async fetch(request, env, ctx) {
    const refusal = await verifyAccessJwt(request, env);
    if (refusal) return refusal;
    try {
      const upgrade = request.headers.get("Upgrade")?.toLowerCase() === "websocket";
      if (upgrade && request.headers.has(WIRE.CONNECT_ADDRESS)) {
        return handleConnect(request, env, ctx);
      }
      if (upgrade && new URL(request.url).searchParams.has(WIRE.BINDING)) {
        return await handleRpc(request, env);
      }
      return await handleFetch(request, env);
    } catch (error) {
      if (error instanceof UnknownBindingError) {
        return new Response(error.message, { status: 400 });
      }
      return new Response(
        `The proxy server failed: ${error instanceof Error ? error.message : String(error)}`,
        { status: 500 },
      );
    }
  },
} satisfies ExportedHandler<ProxyServerEnv>;
