// The plain-data surface the proxy server's storage adapters expose over RPC. capnweb can call
// methods on RpcTargets and plain functions, not on native binding objects such as KVNamespace,
// R2Bucket or D1Database ("RPC stub points at a non-serializable type"), and it carries neither
// Map nor class instances, so the server speaks plain data (and streams, which capnweb carries
// with flow control) and the facade in the user's isolate rebuilds the familiar API.

export type KvValueType = "text" | "json" | "arrayBuffer" | "stream";

export interface KvGetOptionsWire {
  type: KvValueType;
  cacheTtl?: number;
}

/** A KV value on the wire: bytes for arrayBuffer, a stream for stream, else as KV returned it. */
export type KvValueWire = string | Uint8Array | ReadableStream | unknown;

export interface KvBulkEntryWire {
  key: string;
  value: unknown;
  metadata?: unknown;
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
  ssecKeyMd5?: string;
}

/** `body` is absent when a conditional get did not match: R2 then returns the object only. */
export interface R2ObjectBodyWire {
  object: R2ObjectWire;
  body?: ReadableStream;
}

export interface R2ObjectsWire {
  objects: R2ObjectWire[];
  truncated: boolean;
  cursor?: string;
  delimitedPrefixes: string[];
}

export interface R2UploadedPartWire {
  partNumber: number;
  etag: string;
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

/** A D1 session's constraint or bookmark (`withSession()`), sent with each of its calls. */
export interface D1SessionWire {
  session?: string;
}

/** What a call made in a session answers: the result and the session's bookmark after it. */
export interface D1SessionResultWire {
  result: unknown;
  bookmark: string | null;
}

/** The storage adapters' method names, called by the facades in the user's isolate. */
export const STORAGE_METHODS = {
  KV_GET: "get",
  KV_GET_WITH_METADATA: "getWithMetadata",
  KV_GET_BULK: "getBulk",
  KV_PUT: "put",
  KV_DELETE: "delete",
  KV_LIST: "list",
  R2_HEAD: "head",
  R2_GET: "get",
  R2_PUT: "put",
  R2_DELETE: "delete",
  R2_LIST: "list",
  R2_CREATE_MULTIPART: "createMultipartUpload",
  R2_UPLOAD_PART: "uploadPart",
  R2_COMPLETE_MULTIPART: "completeMultipartUpload",
  R2_ABORT_MULTIPART: "abortMultipartUpload",
  D1_QUERY: "query",
  D1_BATCH: "batch",
  D1_EXEC: "exec",
} as const;
