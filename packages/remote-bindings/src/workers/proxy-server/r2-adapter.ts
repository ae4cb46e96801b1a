// R2 on the proxy server, as plain data and streams (see shared/storage-wire.ts).
import { RpcTarget } from "capnweb";
import type {
  R2ObjectBodyWire,
  R2ObjectsWire,
  R2ObjectWire,
  R2UploadedPartWire,
} from "../shared/storage-wire.js";
import { KnownLengthBody } from "./known-length-body.js";

function objectWire(object: R2Object): R2ObjectWire {
  return {
    key: object.key,
    version: object.version,
    size: object.size,
    etag: object.etag,
    httpEtag: object.httpEtag,
    uploaded: object.uploaded,
    httpMetadata: { ...object.httpMetadata },
    customMetadata: { ...object.customMetadata },
    checksums: object.checksums.toJSON() as unknown as Record<string, string>,
    storageClass: object.storageClass,
    ...(object.range === undefined ? {} : { range: object.range }),
    ...(object.ssecKeyMd5 === undefined ? {} : { ssecKeyMd5: object.ssecKeyMd5 }),
  };
}

type R2Value = string | Uint8Array | ReadableStream | KnownLengthBody | null;

// R2 needs to know a stream's length up front. A byte call's body with a Content-Length goes to
// R2 as it arrives; any other stream (one that crossed RPC, or a body sent without a length) is
// read whole here, on the proxy server (a Worker's memory bounds it).
async function known(value: R2Value): Promise<string | Uint8Array | ReadableStream | null> {
  if (value instanceof KnownLengthBody) return value.stream;
  if (value instanceof ReadableStream)
    return new Uint8Array(await new Response(value).arrayBuffer());
  return value;
}

export class R2Adapter extends RpcTarget {
  readonly #bucket: R2Bucket;

  constructor(bucket: R2Bucket) {
    super();
    this.#bucket = bucket;
  }

  async head(key: string): Promise<R2ObjectWire | null> {
    const object = await this.#bucket.head(key);
    return object === null ? null : objectWire(object);
  }

  // The body stays a stream end to end: a 50 MB object is never held whole on either side.
  async get(key: string, options?: R2GetOptions): Promise<R2ObjectBodyWire | null> {
    const object = await this.#bucket.get(key, options);
    if (object === null) return null;
    if (!("body" in object)) return { object: objectWire(object) };
    return { object: objectWire(object), body: object.body };
  }

  async put(key: string, value: R2Value, options?: R2PutOptions): Promise<R2ObjectWire | null> {
    const object = await this.#bucket.put(key, await known(value), options);
    return object === null ? null : objectWire(object);
  }

  delete(keys: string | string[]): Promise<void> {
    return this.#bucket.delete(keys);
  }

  async list(options?: R2ListOptions): Promise<R2ObjectsWire> {
    const listed = await this.#bucket.list(options);
    return {
      objects: listed.objects.map(objectWire),
      truncated: listed.truncated,
      ...(listed.truncated ? { cursor: listed.cursor } : {}),
      delimitedPrefixes: listed.delimitedPrefixes,
    };
  }

  async createMultipartUpload(
    key: string,
    options?: R2MultipartOptions,
  ): Promise<{ key: string; uploadId: string }> {
    const upload = await this.#bucket.createMultipartUpload(key, options);
    return { key: upload.key, uploadId: upload.uploadId };
  }

  async uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    value: R2Value,
    options?: R2UploadPartOptions,
  ): Promise<R2UploadedPartWire> {
    const upload = this.#bucket.resumeMultipartUpload(key, uploadId);
    const part = await upload.uploadPart(partNumber, (await known(value)) ?? "", options);
    return { partNumber: part.partNumber, etag: part.etag };
  }

  async completeMultipartUpload(
    key: string,
    uploadId: string,
    parts: R2UploadedPartWire[],
  ): Promise<R2ObjectWire> {
    const object = await this.#bucket.resumeMultipartUpload(key, uploadId).complete(parts);
    return objectWire(object);
  }

  abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    return this.#bucket.resumeMultipartUpload(key, uploadId).abort();
  }
}
