// The KV API in the user's isolate, over the proxy server's KV adapter (kv-adapter.ts). Bulk
// gets answer a Map, which no RPC carries; values arrive as bytes or streams and leave as KV's
// own types.
import type { KvBulkEntryWire, KvGetOptionsWire, KvValueType } from "../shared/storage-wire.js";
import type { RawBinding } from "./raw-binding.js";
import { toArrayBuffer, toBytes } from "./bytes.js";

function wireOptions(options: unknown): KvGetOptionsWire {
  if (typeof options === "string") return { type: options as KvValueType };
  const { type = "text", cacheTtl } = (options ?? {}) as { type?: KvValueType; cacheTtl?: number };
  return cacheTtl === undefined ? { type } : { type, cacheTtl };
}

function value(wire: unknown, type: KvValueType): unknown {
  return type === "arrayBuffer" && wire instanceof Uint8Array ? toArrayBuffer(wire) : wire;
}

async function bulk(raw: RawBinding, keys: string[], options: unknown, withMetadata: boolean) {
  const wire = wireOptions(options);
  const entries = (await raw.getBulk(keys, wire, withMetadata)) as KvBulkEntryWire[];
  return new Map(
    entries.map(({ key, value: entry, metadata }) => [
      key,
      withMetadata && entry !== null
        ? { value: value(entry, wire.type), metadata: metadata ?? null }
        : value(entry, wire.type),
    ]),
  );
}

export function kvFacade(raw: RawBinding) {
  return {
    async get(key: string | string[], options?: unknown) {
      if (Array.isArray(key)) return bulk(raw, key, options, false);
      const wire = wireOptions(options);
      return value(await raw.get(key, wire), wire.type);
    },
    async getWithMetadata(key: string | string[], options?: unknown) {
      if (Array.isArray(key)) return bulk(raw, key, options, true);
      const wire = wireOptions(options);
      const result = (await raw.getWithMetadata(key, wire)) as { value: unknown };
      return { ...result, value: value(result.value, wire.type) };
    },
    async put(key: string, data: unknown, options?: KVNamespacePutOptions) {
      // KV stores any other primitive as its string ("42", "true", "null").
      const value = typeof data === "object" && data !== null ? data : String(data);
      await raw.put(key, await toBytes(value), options);
    },
    async delete(key: string) {
      await raw.delete(key);
    },
    list: (options?: KVNamespaceListOptions) => raw.list(options),
  };
}
