// Values the storage APIs accept, as RPC carries them: strings, bytes (Uint8Array) and streams.

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Streams stay streams, so a large value is never held whole in this isolate. */
export async function toBytes(
  value: unknown,
): Promise<string | Uint8Array | ReadableStream | null> {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || value instanceof Uint8Array) return value;
  if (value instanceof ReadableStream) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  if (value instanceof Blob) return value.stream();
  throw new TypeError(
    "Expected a string, ArrayBuffer, ArrayBufferView, Blob or ReadableStream as the value.",
  );
}
