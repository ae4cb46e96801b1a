// The emulated network between the local and the remote workerd: a TCP relay on 127.0.0.1 that
// holds every chunk for the one-way delay, in each direction, and charges a new connection one
// round trip before its first byte leaves (the TCP handshake a real network would cost). It can
// also fail the way real links fail: drop every connection (a reset), or stall (bytes stop, no
// close, as when a laptop sleeps or Wi-Fi goes) until resumed. The fault suites and the soak
// drive it; the bench only delays.
import { createServer, connect, type Socket, type AddressInfo } from "node:net";

export interface DelayProxy {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Connections open right now (client side). */
  readonly openConnections: number;
  /** Connections accepted since start. */
  readonly acceptedConnections: number;
  /** Chunks from the local side that wait to be relayed (all of them, while stalled). */
  readonly heldFromClients: number;
  /** Resets every open connection, both sides; later connections are relayed as usual. */
  drop(): void;
  /** Stops relaying bytes on every connection, open or new, without closing any. */
  stall(): void;
  /** Relays again, what was held first. */
  resume(): void;
  close(): Promise<void>;
}

/**
 * A chunk at the link's local end (performance.now() of this process): `toRemote` when it came
 * from the local side, `fromRemote` when it was handed to it. The bench times where a call spends
 * its time on either side of the link with it.
 */
export interface LinkChunk {
  direction: "toRemote" | "fromRemote";
  at: number;
  bytes: number;
}

interface Relay {
  /** Sends what is due, unless the link is stalled. */
  drain(): void;
  readonly queued: number;
}

/** Relays `from` to `to`, each chunk `oneWayMs` late, in order, never before `notBefore()`. */
function relay(
  from: Socket,
  to: Socket,
  oneWayMs: number,
  notBefore: () => number,
  stalled: () => boolean,
  onChunk: { read?: (bytes: number) => void; written?: (bytes: number) => void } = {},
): Relay {
  const queue: { chunk: Buffer; due: number }[] = [];
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  const drain = () => {
    timer = undefined;
    if (stalled()) return;
    const now = performance.now();
    while (queue.length > 0 && queue[0].due <= now + 0.5) {
      const { chunk } = queue.shift()!;
      to.write(chunk);
      onChunk.written?.(chunk.length);
    }
    if (queue.length > 0) timer = setTimeout(drain, queue[0].due - now);
    else if (ended) to.end();
  };
  from.on("data", (chunk: Buffer) => {
    onChunk.read?.(chunk.length);
    queue.push({ chunk, due: Math.max(performance.now(), notBefore()) + oneWayMs });
    if (timer === undefined && !stalled()) {
      timer = setTimeout(drain, queue[0].due - performance.now());
    }
  });
  from.on("end", () => {
    ended = true;
    if (timer === undefined) drain();
  });
  return {
    drain() {
      if (timer === undefined) drain();
    },
    get queued() {
      return queue.length;
    },
  };
}

export async function startDelayProxy(
  target: URL,
  rttMs: number,
  options: { onChunk?: (chunk: LinkChunk) => void } = {},
): Promise<DelayProxy> {
  const { onChunk } = options;
  const toRemote = onChunk && {
    read: (bytes: number) => onChunk({ direction: "toRemote", at: performance.now(), bytes }),
  };
  const fromRemote = onChunk && {
    written: (bytes: number) => onChunk({ direction: "fromRemote", at: performance.now(), bytes }),
  };
  const oneWay = rttMs / 2;
  const open = new Map<Socket, { upstream: Socket; relays: Relay[] }>();
  let accepted = 0;
  let stalled = false;
  const isStalled = () => stalled;
  const server = createServer((client) => {
    accepted++;
    const handshakeDone = performance.now() + rttMs;
    const upstream = connect(Number(target.port), target.hostname);
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    const close = () => {
      open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", close).on("error", close);
    upstream.on("close", close).on("error", close);
    open.set(client, {
      upstream,
      relays: [
        relay(client, upstream, oneWay, () => handshakeDone, isStalled, toRemote),
        relay(upstream, client, oneWay, () => 0, isStalled, fromRemote),
      ],
    });
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
    get heldFromClients() {
      let held = 0;
      for (const { relays } of open.values()) held += relays[0].queued;
      return held;
    },
    drop() {
      for (const [client, { upstream }] of open) {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      }
    },
    stall() {
      stalled = true;
    },
    resume() {
      stalled = false;
      for (const { relays } of open.values()) for (const one of relays) one.drain();
    },
    async close() {
      for (const [client, { upstream }] of open) {
        client.destroy();
        upstream.destroy();
      }
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
