import net from "node:net";
import { onTestFinished } from "vitest";

/**
 * A plain TCP forwarder on 127.0.0.1, so a test can cut live connections (a network drop)
 * between a real client and a real server.
 */
export async function startTcpProxy(target: string): Promise<{ origin: string; dropAll(): void }> {
  const { hostname, port } = new URL(target);
  const live = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      live.add(socket);
      socket.on("close", () => live.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const dropAll = () => {
    for (const socket of live) socket.destroy();
  };
  onTestFinished(() => {
    dropAll();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { origin: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, dropAll };
}
