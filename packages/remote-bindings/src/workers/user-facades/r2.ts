// The R2 API in the user's isolate, over the proxy server's R2 adapter (r2-adapter.ts). What RPC
// cannot give: resumeMultipartUpload() is synchronous, writeHttpMetadata() writes into the
// caller's own Headers, and an object body's methods read a stream that is local to the caller.
// Object bodies, both ways, travel as bytes on the HTTP path (byte-call.ts), not over RPC.
import type {
  R2ObjectBodyWire,
  R2ObjectsWire,
  R2ObjectWire,
  R2UploadedPartWire,
} from "../shared/storage-wire.js";
import { byteCall } from "./byte-call.js";
import { toBytes } from "./bytes.js";
import type { RawBinding } from "./raw-binding.js";

function hexToBytes(hex: string): ArrayBuffer {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes.buffer;
}

const HTTP_HEADERS: Record<string, string> = {
  contentType: "Content-Type",
  contentLanguage: "Content-Language",
  contentDisposition: "Content-Disposition",
  contentEncoding: "Content-Encoding",
  cacheControl: "Cache-Control",
};

function r2Object(wire: R2ObjectWire) {
  const hexes = wire.checksums;
  const checksums = {
    ...Object.fromEntries(
      Object.entries(hexes)
        .filter((entry): entry is [string, string] => typeof entry[1] === "string")
        .map(([name, hex]) => [name, hexToBytes(hex)]),
    ),
    toJSON: () => hexes,
  };
  return {
    ...wire,
    checksums,
    writeHttpMetadata(headers: Headers) {
      for (const [field, header] of Object.entries(HTTP_HEADERS)) {
        const value = wire.httpMetadata[field];
        if (typeof value === "string") headers.set(header, value);
      }
      const expiry = wire.httpMetadata.cacheExpiry;
      if (expiry instanceof Date) headers.set("Expires", expiry.toUTCString());
    },
  };
}

function r2ObjectBody(wire: Required<R2ObjectBodyWire>) {
  // The content type makes blob() typed, as the real binding's is.
  const contentType = wire.object.httpMetadata.contentType;
  const response = new Response(wire.body, {
    headers: typeof contentType === "string" ? { "Content-Type": contentType } : {},
  });
  // Defined, not assigned: Object.assign would read the getter once instead of copying it.
  return Object.defineProperties(r2Object(wire.object), {
    body: { value: response.body, enumerable: true },
    bodyUsed: { get: () => response.bodyUsed, enumerable: true },
    arrayBuffer: { value: () => response.arrayBuffer() },
    bytes: { value: async () => new Uint8Array(await response.arrayBuffer()) },
    text: { value: () => response.text() },
    json: { value: () => response.json() },
    blob: { value: () => response.blob() },
  });
}

/** A call whose argument `at` is a value to store: its bytes are the request's body. */
function sendValue(raw: RawBinding, method: string, args: unknown[], at: number) {
  return byteCall(raw, method, args, args[at] === null ? {} : { bodyArg: at });
}

const maybeObject = (wire: R2ObjectWire | null) => (wire === null ? null : r2Object(wire));

function multipartUpload(raw: RawBinding, key: string, uploadId: string) {
  return {
    key,
    uploadId,
    async uploadPart(partNumber: number, value: unknown, options?: R2UploadPartOptions) {
      const bytes = await toBytes(value);
      const part = await sendValue(
        raw,
        "uploadPart",
        [key, uploadId, partNumber, bytes, options],
        3,
      );
      return part as R2UploadedPartWire;
    },
    abort: () => raw.abortMultipartUpload(key, uploadId) as Promise<void>,
    async complete(parts: R2UploadedPartWire[]) {
      return r2Object((await raw.completeMultipartUpload(key, uploadId, parts)) as R2ObjectWire);
    },
  };
}

export function r2Facade(raw: RawBinding) {
  return {
    head: async (key: string) => maybeObject((await raw.head(key)) as R2ObjectWire | null),
    async get(key: string, options?: R2GetOptions) {
      const wire = (await byteCall(raw, "get", [key, options])) as R2ObjectBodyWire | null;
      if (wire === null) return null;
      return wire.body === undefined ? r2Object(wire.object) : r2ObjectBody(wire as never);
    },
    async put(key: string, value: unknown, options?: R2PutOptions) {
      return maybeObject(
        (await sendValue(raw, "put", [key, await toBytes(value), options], 1)) as R2ObjectWire,
      );
    },
    delete: (keys: string | string[]) => raw.delete(keys) as Promise<void>,
    async list(options?: R2ListOptions) {
      const listed = (await raw.list(options)) as R2ObjectsWire;
      return { ...listed, objects: listed.objects.map(r2Object) };
    },
    async createMultipartUpload(key: string, options?: R2MultipartOptions) {
      const { uploadId } = (await raw.createMultipartUpload(key, options)) as { uploadId: string };
      return multipartUpload(raw, key, uploadId);
    },
    resumeMultipartUpload: (key: string, uploadId: string) => multipartUpload(raw, key, uploadId),
  };
}
