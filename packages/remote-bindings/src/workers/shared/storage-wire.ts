// The RPC surface the proxy server exposes for storage bindings. capnweb can call methods on
// RpcTargets and plain functions, not on native binding objects such as KVNamespace, R2Bucket
// or D1Database ("RPC stub points at a non-serializable type"), so the server wraps each in an
// adapter that speaks plain data, and the client rebuilds the familiar API around it.

export type KvValueType = "text" | "json" | "arrayBuffer" | "stream";

export interface KvGetOptionsWire {
  type: KvValueType;
  cacheTtl?: number;
}

export interface R2ObjectWire {
  key: string;
  version: string;
  size: number;
  etag: string;
  httpEtag: string;
  uploaded: Date;
  httpMetadata: Record<string, unknown>;
  customMetadata: Record<string, string>;
  checksums: Record<string, string>;
  storageClass: string;
  range?: unknown;
}

/** `body` is absent when a conditional get did not match: R2 then returns the object only. */
export interface R2ObjectBodyWire {
  object: R2ObjectWire;
  body?: Uint8Array;
}

export interface R2ObjectsWire {
  objects: R2ObjectWire[];
  truncated: boolean;
  cursor?: string;
  delimitedPrefixes: string[];
}

export interface D1StatementWire {
  sql: string;
  params: unknown[];
}

export type D1Mode = "all" | "first" | "run" | "raw";

export interface D1QueryWire extends D1StatementWire {
  mode: D1Mode;
  /** For `first(column)`. */
  column?: string;
  /** For `raw({ columnNames: true })`. */
  columnNames?: boolean;
}
