// pipeSocketOverWebSocket (src/workers/shared/pipe-socket.ts) in workerd, between a real
// connect() socket to a TCP server here on 127.0.0.1 and one end of a WebSocketPair whose other
// end the test Worker plays: bytes both ways and in order, large chunks, and whichever side
// closes first tears the other down.
import { createHash } from "node:crypto";
import net from "node:net";
import { afterEach, expect, it } from "vitest";
import { useUnitWorker } from "./support/start-unit-worker.js";

const worker = useUnitWorker("pipe-socket.worker.ts");

/** The pattern the test Worker sends too: a lost, doubled or moved byte shows. */
function pattern(offset: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (offset + i) % 251;
  return bytes;
}

interface Connection {
  received: Buffer[];
  /** Resolves when the peer ended the connection (FIN) or it closed. */
  ended: Promise<"end" | "close">;
}

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((r) => server.close(r))));
});

/**
 * A TCP server on 127.0.0.1. The first connection is the tunnel's: it records what arrives and
 * runs `onTunnel`. A later one is the Worker asking how the tunnel's connection ended: it is
 * answered "ended by end" (a FIN) or "ended by close" once that happened.
 */
async function tcpServer(onTunnel: (socket: net.Socket) => void) {
  let tunnel: Connection | undefined;
  const server = net.createServer((socket) => {
    socket.on("error", () => {});
    if (tunnel !== undefined) {
      void tunnel.ended.then((how) => socket.end(`ended by ${how}`));
      return;
    }
    const received: Buffer[] = [];
    socket.on("data", (chunk) => received.push(chunk));
    const ended = new Promise<"end" | "close">((resolve) => {
      socket.on("end", () => resolve("end"));
      socket.on("close", () => resolve("close"));
    });
    tunnel = { received, ended };
    onTunnel(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    received: () => Buffer.concat(tunnel?.received ?? []),
  };
}

it("carries bytes both ways, in order, in chunks from 1 byte to 1 MiB, and text as UTF-8", async () => {
  const serverSizes = [5, 1 << 20, 100_000, 1];
  const workerSizes = [1, 10, 65_536, 1 << 20, 3];
  const serverBytes = serverSizes.reduce((a, b) => a + b, 0);
  const workerBytes = workerSizes.reduce((a, b) => a + b, 0);
  const tcp = await tcpServer((socket) => {
    let offset = 0;
    for (const size of serverSizes) {
      socket.write(pattern(offset, size));
      offset += size;
    }
  });
  const answer = await worker.get(
    `/both-ways?port=${tcp.port}&expect=${serverBytes}&sizes=${workerSizes.join(",")}`,
  );
  expect(answer).toEqual({
    receivedLength: serverBytes,
    receivedSha256: createHash("sha256").update(pattern(0, serverBytes)).digest("hex"),
    piped: "resolved",
    // The Worker closed its WebSocket once it had everything: that ends the connection too.
    connection: "ended by end",
  });
  const received = tcp.received();
  const expected = Buffer.concat([pattern(0, workerBytes), Buffer.from("text after the bytes")]);
  expect(received.length).toBe(expected.length);
  expect(received.equals(expected)).toBe(true);
});

it("when the TCP side closes first, the WebSocket is closed (1000) and the pipe ends", async () => {
  const tcp = await tcpServer((socket) => socket.end("bye"));
  expect(await worker.get(`/tcp-closes-first?port=${tcp.port}`)).toEqual({
    received: "bye",
    closed: { code: 1000 },
    piped: "resolved",
  });
});

it("when the WebSocket closes first, what it sent is written, then the TCP connection ends", async () => {
  const tcp = await tcpServer(() => {});
  expect(await worker.get(`/websocket-closes-first?port=${tcp.port}`)).toEqual({
    piped: "resolved",
    connection: "ended by end",
  });
  expect(tcp.received().toString()).toBe("hi");
});
