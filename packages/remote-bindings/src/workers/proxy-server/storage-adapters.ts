// Server side of shared/storage-wire.ts: RpcTarget adapters around native storage bindings.
import { RpcTarget } from "capnweb";
import type {
  D1QueryWire,
  D1StatementWire,
  KvGetOptionsWire,
  R2ObjectBodyWire,
  R2ObjectsWire,
  R2ObjectWire,
} from "../shared/storage-wire.js";

// capnweb carries bytes as Uint8Array, not ArrayBuffer.
const bytes = (value: unknown): unknown =>
  value instanceof ArrayBuffer ? new Uint8Array(value) : value;

async function readValue(value: unknown, type: KvGetOptionsWire["type"]): Promise<unknown> {
  if (value === null) return null;
  if (type === "stream")
    return new Uint8Array(await new Response(value as ReadableStream).arrayBuffer());
  return bytes(value);
}

class KvAdapter extends RpcTarget {
  constructor(private readonly kv: KVNamespace) {
    super();
  }

  async get(key: string, options: KvGetOptionsWire): Promise<unknown> {
    // Streams are read whole on this side: the value travels as one message.
    const type = options.type === "stream" ? "arrayBuffer" : options.type;
    const value = await this.kv.get(key, { type, cacheTtl: options.cacheTtl } as never);
    return readValue(value, options.type);
  }

  async getWithMetadata(key: string, options: KvGetOptionsWire): Promise<unknown> {
    const type = options.type === "stream" ? "arrayBuffer" : options.type;
    const result = await this.kv.getWithMetadata(key, {
      type,
      cacheTtl: options.cacheTtl,
    } as never);
    return { ...result, value: await readValue(result.value, options.type) };
  }

  put(key: string, value: string | Uint8Array, options?: KVNamespacePutOptions): Promise<void> {
    return this.kv.put(key, value, options);
  }

  delete(key: string): Promise<void> {
    return this.kv.delete(key);
  }

  list(options?: KVNamespaceListOptions): Promise<unknown> {
    return this.kv.list(options);
  }
}

function r2Object(object: R2Object): R2ObjectWire {
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
  };
}

class R2Adapter extends RpcTarget {
  constructor(private readonly bucket: R2Bucket) {
    super();
  }

  async head(key: string): Promise<R2ObjectWire | null> {
    const object = await this.bucket.head(key);
    return object === null ? null : r2Object(object);
  }

  async get(key: string, options?: R2GetOptions): Promise<R2ObjectBodyWire | null> {
    const object = await this.bucket.get(key, options);
    if (object === null) return null;
    if (!("body" in object)) return { object: r2Object(object) };
    return { object: r2Object(object), body: new Uint8Array(await object.arrayBuffer()) };
  }

  async put(key: string, value: string | Uint8Array | null, options?: R2PutOptions) {
    const object = await this.bucket.put(key, value, options);
    return object === null ? null : r2Object(object);
  }

  delete(keys: string | string[]): Promise<void> {
    return this.bucket.delete(keys);
  }

  async list(options?: R2ListOptions): Promise<R2ObjectsWire> {
    const listed = await this.bucket.list(options);
    return {
      objects: listed.objects.map(r2Object),
      truncated: listed.truncated,
      ...(listed.truncated ? { cursor: listed.cursor } : {}),
      delimitedPrefixes: listed.delimitedPrefixes,
    };
  }
}

class D1Adapter extends RpcTarget {
  constructor(private readonly db: D1Database) {
    super();
  }

  private statement({ sql, params }: D1StatementWire): D1PreparedStatement {
    const statement = this.db.prepare(sql);
    return params.length === 0 ? statement : statement.bind(...params.map(bytes));
  }

  query(query: D1QueryWire): Promise<unknown> {
    const statement = this.statement(query);
    switch (query.mode) {
      case "first":
        return query.column === undefined ? statement.first() : statement.first(query.column);
      case "raw":
        return query.columnNames ? statement.raw({ columnNames: true }) : statement.raw();
      case "run":
        return statement.run();
      default:
        return statement.all();
    }
  }

  batch(statements: D1StatementWire[]): Promise<unknown> {
    return this.db.batch(statements.map((statement) => this.statement(statement)));
  }

  exec(sql: string): Promise<unknown> {
    return this.db.exec(sql);
  }
}

// By runtime class, not by shape: a service binding answers every property with a callable, so
// it would pass for any storage binding. These are the names workerd (and Miniflare's D1) use.
function runtimeClassOf(value: object): string {
  const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  return prototype?.constructor?.name ?? "";
}

/**
 * The RPC target for a binding: storage bindings get their adapter; anything capnweb can call
 * already (service bindings, RpcTargets) is served as it is.
 */
export function rpcTargetFor(binding: unknown): unknown {
  if (typeof binding !== "object" || binding === null) return binding;
  switch (runtimeClassOf(binding)) {
    case "KvNamespace":
      return new KvAdapter(binding as KVNamespace);
    case "R2Bucket":
      return new R2Adapter(binding as R2Bucket);
    case "D1Database":
      return new D1Adapter(binding as D1Database);
    default:
      return binding;
  }
}
