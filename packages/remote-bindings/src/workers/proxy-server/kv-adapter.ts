// KV on the proxy server, as plain data (see shared/storage-wire.ts).
import { RpcTarget } from "capnweb";
import type { KvBulkEntryWire, KvGetOptionsWire } from "../shared/storage-wire.js";

// capnweb carries bytes as Uint8Array; KV answers ArrayBuffer.
const bytes = (value: unknown): unknown =>
  value instanceof ArrayBuffer ? new Uint8Array(value) : value;

function readOptions(options: KvGetOptionsWire | undefined) {
  const type = options?.type ?? "text";
  return { type, ...(options?.cacheTtl === undefined ? {} : { cacheTtl: options.cacheTtl }) };
}

export class KvAdapter extends RpcTarget {
  readonly #kv: KVNamespace;

  constructor(kv: KVNamespace) {
    super();
    this.#kv = kv;
  }

  // Streams stay streams: capnweb pumps them with flow control, so a large value is never held
  // whole by the proxy server or the client.
  async get(key: string, options?: KvGetOptionsWire): Promise<unknown> {
    return bytes(await this.#kv.get(key, readOptions(options) as never));
  }

  async getWithMetadata(key: string, options?: KvGetOptionsWire): Promise<unknown> {
    const result = await this.#kv.getWithMetadata(key, readOptions(options) as never);
    return { ...result, value: bytes(result.value) };
  }

  /** KV's bulk get answers a Map, which capnweb does not carry: entries travel as an array. */
  async getBulk(
    keys: string[],
    options: KvGetOptionsWire | undefined,
    withMetadata: boolean,
  ): Promise<KvBulkEntryWire[]> {
    const read = readOptions(options) as never;
    const map = (
      withMetadata ? await this.#kv.getWithMetadata(keys, read) : await this.#kv.get(keys, read)
    ) as Map<string, unknown>;
    return [...map].map(([key, entry]) =>
      withMetadata && entry !== null
        ? { key, ...(entry as { value: unknown; metadata: unknown }) }
        : { key, value: entry },
    );
  }

  put(
    key: string,
    value: string | Uint8Array | ReadableStream,
    options?: KVNamespacePutOptions,
  ): Promise<void> {
    return this.#kv.put(key, value, options);
  }

  delete(key: string): Promise<void> {
    return this.#kv.delete(key);
  }

  list(options?: KVNamespaceListOptions): Promise<unknown> {
    return this.#kv.list(options);
  }
}
