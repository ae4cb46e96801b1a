// Client side of shared/storage-wire.ts for KV and R2: their familiar APIs, rebuilt in the proxy
// client around the server's plain-data adapters. What the user worker gets back crosses
// workerd RPC, so results are plain objects: data by value, methods as functions. (D1 needs a
// synchronous prepare(), which no RPC call can give: its API lives in the wrapped binding.)
import type {
  KvGetOptionsWire,
  KvValueType,
  R2ObjectBodyWire,
  R2ObjectWire,
} from "../shared/storage-wire.js";

type RemoteCall = (...args: unknown[]) => Promise<unknown>;
export type RemoteMethod = (name: string) => RemoteCall;
export type StorageKind = "kv" | "r2";

async function toBytes(value: unknown): Promise<string | Uint8Array | null> {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value))
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  // Streams and Blobs travel whole: the wire carries one message per call.
  return new Uint8Array(await new Response(value as BodyInit).arrayBuffer());
}

function kvOptions(options: unknown): KvGetOptionsWire {
  if (typeof options === "string") return { type: options as KvValueType };
  const { type = "text", cacheTtl } = (options ?? {}) as { type?: KvValueType; cacheTtl?: number };
  return cacheTtl === undefined ? { type } : { type, cacheTtl };
}

function kvValue(value: unknown, type: KvValueType): unknown {
  if (!(value instanceof Uint8Array)) return value;
  if (type === "stream") return new Response(value).body;
  return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
}

function kvFacade(remote: RemoteMethod): Record<string, unknown> {
  return {
    async get(key: string, options?: unknown) {
      const wire = kvOptions(options);
      return kvValue(await remote("get")(key, wire), wire.type);
    },
    async getWithMetadata(key: string, options?: unknown) {
      const wire = kvOptions(options);
      const result = (await remote("getWithMetadata")(key, wire)) as { value: unknown };
      return { ...result, value: kvValue(result.value, wire.type) };
    },
    async put(key: string, value: unknown, options?: unknown) {
      return remote("put")(key, await toBytes(value), options);
    },
    delete: (key: string) => remote("delete")(key),
    list: (options?: unknown) => remote("list")(options),
  };
}

function r2ObjectBody(wire: R2ObjectBodyWire): Record<string, unknown> {
  const object: Record<string, unknown> = { ...wire.object };
  if (wire.body === undefined) return object;
  const body = wire.body;
  return {
    ...object,
    body: new Response(body).body,
    bodyUsed: false,
    arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength),
    bytes: async () => body,
    text: async () => new TextDecoder().decode(body),
    json: async () => JSON.parse(new TextDecoder().decode(body)) as unknown,
    blob: async () => new Blob([body]),
  };
}

function r2Facade(remote: RemoteMethod): Record<string, unknown> {
  return {
    head: (key: string) => remote("head")(key) as Promise<R2ObjectWire | null>,
    async get(key: string, options?: unknown) {
      const result = (await remote("get")(key, options)) as R2ObjectBodyWire | null;
      return result === null ? null : r2ObjectBody(result);
    },
    async put(key: string, value: unknown, options?: unknown) {
      return remote("put")(key, await toBytes(value), options);
    },
    delete: (keys: string | string[]) => remote("delete")(keys),
    list: (options?: unknown) => remote("list")(options),
  };
}

export function storageFacade(kind: StorageKind, remote: RemoteMethod): Record<string, unknown> {
  switch (kind) {
    case "kv":
      return kvFacade(remote);
    case "r2":
      return r2Facade(remote);
  }
}
