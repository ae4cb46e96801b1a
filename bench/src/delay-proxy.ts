// The emulated network between the local and the remote workerd: a TCP relay on 127.0.0.1 that
// holds every chunk for the one-way delay, in each direction, and charges a new connection one
// round trip before its first byte leaves (the TCP handshake a real network would cost).
import { createServer, connect, type Socket, type AddressInfo } from "node:net";

export interface DelayProxy {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Connections open right now (client side). */
  readonly openConnections: number;
  /** Connections accepted since start. */
  readonly acceptedConnections: number;
  close(): Promise<void>;
}

/** Relays `from` to `to`, each chunk `oneWayMs` late, in order, never before `notBefore()`. */
function relay(from: Socket, to: Socket, oneWayMs: number, notBefore: () => number): void {
  const queue: { chunk: Buffer; due: number }[] = [];
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  const drain = () => {
    timer = undefined;
    const now = performance.now();
    while (queue.length > 0 && queue[0].due <= now + 0.5) to.write(queue.shift()!.chunk);
    if (queue.length > 0) timer = setTimeout(drain, queue[0].due - now);
    else if (ended) to.end();
  };
  from.on("data", (chunk: Buffer) => {
    queue.push({ chunk, due: Math.max(performance.now(), notBefore()) + oneWayMs });
    if (timer === undefined) timer = setTimeout(drain, queue[0].due - performance.now());
  });
  from.on("end", () => {
    ended = true;
    if (timer === undefined) drain();
  });
}

export async function startDelayProxy(target: URL, rttMs: number): Promise<DelayProxy> {
  const oneWay = rttMs / 2;
  const open = new Set<Socket>();
  let accepted = 0;
  const server = createServer((client) => {
    accepted++;
    const handshakeDone = performance.now() + rttMs;
    const upstream = connect(Number(target.port), target.hostname);
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    open.add(client);
    const close = () => {
      open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", close).on("error", close);
    upstream.on("close", close).on("error", close);
    relay(client, upstream, oneWay, () => handshakeDone);
    relay(upstream, client, oneWay, () => 0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get openConnections() {
      return open.size;
    },
    get acceptedConnections() {
      return accepted;
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The round trip the proxy really adds (timers fire late): median of TCP echo pings through it. */
export async function measureRtt(rttMs: number, samples = 20): Promise<number> {
  const echo = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  const target = new URL(`http://127.0.0.1:${(echo.address() as AddressInfo).port}`);
  const proxy = await startDelayProxy(target, rttMs);
  const socket = connect(Number(new URL(proxy.url).port), "127.0.0.1");
  socket.setNoDelay(true);
  await new Promise<void>((resolve) => socket.once("connect", resolve));
  const times: number[] = [];
  for (let i = 0; i < samples + 1; i++) {
    const start = performance.now();
    socket.write("x");
    await new Promise<void>((resolve) => socket.once("data", () => resolve()));
    if (i > 0) times.push(performance.now() - start); // the first pays the handshake
  }
  socket.destroy();
  await proxy.close();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
