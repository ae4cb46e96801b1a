// Relays raw bytes between a connect() socket and a WebSocket, both ways. There is no TCP
// half-close over a WebSocket, so when either side ends the whole tunnel is torn down.

export async function pipeSocketOverWebSocket(socket: Socket, webSocket: WebSocket): Promise<void> {
  const writer = socket.writable.getWriter();
  const reader = socket.readable.getReader();
  // Message events are not awaited by the runtime: chain writes to keep bytes in order.
  let writes: Promise<void> = Promise.resolve();

  const webSocketEnded = new Promise<void>((resolve) => {
    webSocket.addEventListener("message", (event) => {
      const chunk =
        typeof event.data === "string"
          ? new TextEncoder().encode(event.data)
          : new Uint8Array(event.data);
      writes = writes.then(() => writer.write(chunk)).catch(() => resolve());
    });
    webSocket.addEventListener("close", () => resolve());
    webSocket.addEventListener("error", () => resolve());
  });

  const socketEnded = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      webSocket.send(value as Uint8Array);
    }
  })().catch(() => {});

  await Promise.race([webSocketEnded, socketEnded]);
  try {
    webSocket.close(1000);
  } catch {
    // Already closed by the peer.
  }
  await reader.cancel().catch(() => {});
  await writes.catch(() => {});
  await writer.close().catch(() => {});
}
