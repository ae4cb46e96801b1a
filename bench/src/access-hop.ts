// Scenario 4, the "extra hop" design other tools use: Miniflare's own remote-proxy client talks
// plain HTTP/WebSocket to a local Node process, which adds the Access headers and forwards each
// request (and each WebSocket upgrade) to the remote. Built on undici with a keep-alive pool, as
// such a hop would be.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { pipeline } from "node:stream";
import { Agent, request, upgrade } from "undici";

export interface AccessHop {
  readonly url: string;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "upgrade",
  "host",
  "transfer-encoding",
  "proxy-connection",
]);

function forwardedHeaders(
  headers: IncomingHttpHeaders,
  access: Record<string, string>,
): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) result[name] = value;
  }
  return { ...result, ...access };
}

export async function startAccessHop(
  upstream: string,
  access: Record<string, string>,
): Promise<AccessHop> {
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 64 });
  const sockets = new Set<Duplex>();
  const server = createServer((incoming, outgoing) => {
    const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
    request(new URL(incoming.url ?? "/", upstream), {
      dispatcher: agent,
      method: incoming.method as "GET",
      headers: forwardedHeaders(incoming.headers, access),
      body: hasBody ? incoming : null,
    }).then(
      (response) => {
        const headers = Object.entries(response.headers).filter(([name]) => !HOP_BY_HOP.has(name));
        outgoing.writeHead(response.statusCode, Object.fromEntries(headers));
        pipeline(response.body, outgoing, () => {});
      },
      (error: Error) => outgoing.writeHead(502).end(error.message),
    );
  });
  server.on("upgrade", (incoming, client: Duplex, head: Buffer) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    upgrade(new URL(incoming.url ?? "/", upstream), {
      dispatcher: agent,
      headers: forwardedHeaders(incoming.headers, access),
      protocol: "websocket",
    }).then(
      ({ headers, socket }) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => client.destroy());
        client.on("close", () => socket.destroy());
        const lines = ["HTTP/1.1 101 Switching Protocols", "Connection: Upgrade"];
        for (const [name, value] of Object.entries(headers)) {
          if (name === "connection" || value === undefined) continue;
          for (const one of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${one}`);
        }
        client.write(lines.join("\r\n") + "\r\n\r\n");
        if (head.length > 0) socket.write(head);
        socket.pipe(client);
        client.pipe(socket);
      },
      (error: Error) => {
        client.end(`HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n`);
        void error;
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await agent.close();
    },
  };
}
