// The embedded remote's address, open before the remote is. `access-bridge dev` writes the
// address into the generated config and starts wrangler while the remote is still starting
// (issue 23: they start in parallel), so the user's first call can reach it before it is up. A
// connection that arrives then waits here, its bytes unread in the kernel, instead of being
// refused, and is passed on once the remote listens. The port is this process's from the first
// moment, so nothing can take it between choosing it and the remote listening on it.
//
// Why not have the proxy client retry a refused connection instead: a retry must be sure that the
// call never left, or a write is sent twice, and it would live in the Worker that every remote
// shares, deployed ones included, for a race only the embedded remote has. Waiting here is exact;
// the cost is one hop on loopback, in this process.
import net from "node:net";

export interface FrontDoor {
  /** `http://127.0.0.1:<port>`, what the generated config names. */
  url: URL;
  /** Passes every waiting and later connection on to the remote, which now listens at `target`. */
  open(target: URL): void;
  /** The remote did not start: waiting and later connections are closed. */
  fail(): void;
  close(): Promise<void>;
}

function relay(socket: net.Socket, target: URL): void {
  const upstream = net.connect({
    host: target.hostname,
    port: Number(target.port),
    allowHalfOpen: true,
    noDelay: true,
  });
  // Both directions as they come: small RPC frames must not wait for Nagle's algorithm.
  socket.setNoDelay(true);
  socket.pipe(upstream).pipe(socket);
  socket.once("error", () => upstream.destroy());
  upstream.once("error", () => socket.destroy());
  socket.once("close", () => upstream.destroy());
  upstream.once("close", () => socket.destroy());
}

export async function openFrontDoor(): Promise<FrontDoor> {
  let target: URL | undefined;
  let failed = false;
  const waiting = new Set<net.Socket>();
  const open = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => {
    open.add(socket);
    socket.once("close", () => {
      open.delete(socket);
      waiting.delete(socket);
    });
    if (failed) socket.destroy();
    else if (target !== undefined) relay(socket, target);
    else waiting.add(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}`),
    open(remote) {
      target = remote;
      for (const socket of waiting) relay(socket, remote);
      waiting.clear();
    },
    fail() {
      failed = true;
      for (const socket of waiting) socket.destroy();
      waiting.clear();
    },
    close() {
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
