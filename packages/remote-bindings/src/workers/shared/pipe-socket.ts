// Relays raw bytes between a connect() socket and a WebSocket, both ways. There is no TCP
// half-close over a WebSocket, so when either side ends the whole tunnel is torn down.

export async function pipeSocketOverWebSocket(socket: Socket, webSocket: WebSocket): Promise<void> {
  const writer = socket.writable.getWriter();
  const reader = socket.readable.getReader();
  // Message events are not awaited by the runtime: chain writes to keep bytes in order.
  let writes: Promise<void> = Promise.resolve();

  // Since the websocket_standard_binary_type compatibility flag, binary messages arrive as
  // Blobs unless asked otherwise; Blobs are still handled, for older compatibility dates.
  webSocket.binaryType = "arraybuffer";
  const webSocketEnded = new Promise<void>((resolve) => {
    webSocket.addEventListener("message", (event) => {
      const data: unknown = event.data;
      writes = writes
        .then(async () => {
          const chunk =
            typeof data === "string"
              ? new TextEncoder().encode(data)
              : data instanceof Blob
                ? new Uint8Array(await data.arrayBuffer())
                : new Uint8Array(data as ArrayBuffer);
          await writer.write(chunk);
        })
        .catch(() => resolve());
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

  const first = await Promise.race([
    webSocketEnded.then(() => "websocket" as const),
    socketEnded.then(() => "socket" as const),
  ]);
  try {
    webSocket.close(1000);
  } catch {
    // Already closed by the peer.
  }
  if (first === "websocket") await reader.cancel().catch(() => {});
  await writes.catch(() => {});
  await writer.close().catch(() => {});
}
