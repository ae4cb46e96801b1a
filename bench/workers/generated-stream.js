/* global ReadableStream */
// A body of `total` bytes made as it is read, never held whole: the bench's large bodies and the
// Workers AI stand-in's streamed answer.
export function generatedStream(total, chunkSize = 64 * 1024) {
  let sent = 0;
  return new ReadableStream({
    type: "bytes",
    pull(controller) {
      if (sent >= total) return controller.close();
      const size = Math.min(chunkSize, total - sent);
      controller.enqueue(new Uint8Array(size).fill(sent % 251));
      sent += size;
    },
  });
}
