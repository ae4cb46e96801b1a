// Which remote bindings access-bridge carries, and how. Every carried binding reaches the user's
// Worker as a service binding to the proxy client, whose behaviour the binding's type selects.
// The wrangler config sections that accept `"remote": true` map onto these types (see
// WRANGLER_SECTIONS); the one section we refuse says why.

/**
 * How the proxy client serves a binding:
 * - "service": `fetch()` over HTTP, `connect()` over a tunnel, every other method over RPC;
 * - "fetcher": `fetch()` only;
 * - "rpc": every method over RPC (product bindings whose API is a set of async methods);
 * - "kv", "r2", "d1": the storage APIs, rebuilt around the proxy server's adapters;
 * - "dispatch-namespace": `get(name, args, options)` gives a Worker of the namespace.
 */
export type ClientBehaviour =
  "service" | "fetcher" | "rpc" | "kv" | "r2" | "d1" | "dispatch-namespace";

export const REMOTE_BINDING_TYPES = {
  service: "service",
  fetcher: "fetcher",
  kv: "kv",
  r2: "r2",
  d1: "d1",
  "dispatch-namespace": "dispatch-namespace",
  ai: "rpc",
  vectorize: "rpc",
  queue: "rpc",
  pipeline: "rpc",
  "analytics-engine": "rpc",
  "send-email": "rpc",
  images: "rpc",
  rpc: "rpc",
} as const satisfies Record<string, ClientBehaviour>;

/** The `type` of a remote binding in the Node API and in the proxy client's props. */
export type RemoteBindingType = keyof typeof REMOTE_BINDING_TYPES;

export function isRemoteBindingType(value: unknown): value is RemoteBindingType {
  return typeof value === "string" && Object.hasOwn(REMOTE_BINDING_TYPES, value);
}

export function behaviourOf(type: RemoteBindingType): ClientBehaviour {
  return REMOTE_BINDING_TYPES[type];
}

/**
 * Types whose real API is rebuilt by a thin facade in the user's isolate (user-facades.worker.ts)
 * over the proxy server's plain-data adapters: D1's `prepare()` is synchronous and `batch()`
 * takes the statements themselves (an unawaited RPC promise cannot be an argument: "Could not
 * serialize object of type RpcPromise"); R2's `resumeMultipartUpload()` is synchronous and
 * `writeHttpMetadata()` writes into the caller's own Headers; KV's bulk get answers a Map. R2's
 * object bodies and Workers AI's streamed answers travel as bytes on the HTTP path (byte calls).
 * Without its facade, Workers AI still works, over RPC only.
 */
export const FACADE_TYPES: ReadonlySet<RemoteBindingType> = new Set(["kv", "r2", "d1", "ai"]);

/** How a wrangler config section with `"remote": true` is carried, or why it is not. */
export type WranglerSectionSupport =
  { carried: true; type: RemoteBindingType } | { carried: false; why: string };

export const WRANGLER_SECTIONS: Readonly<Record<string, WranglerSectionSupport>> = {
  services: { carried: true, type: "service" },
  kv_namespaces: { carried: true, type: "kv" },
  r2_buckets: { carried: true, type: "r2" },
  d1_databases: { carried: true, type: "d1" },
  ai: { carried: true, type: "ai" },
  vectorize: { carried: true, type: "vectorize" },
  "queues.producers": { carried: true, type: "queue" },
  dispatch_namespaces: { carried: true, type: "dispatch-namespace" },
  browser: { carried: true, type: "fetcher" },
  mtls_certificates: { carried: true, type: "fetcher" },
  vpc_services: { carried: true, type: "service" },
  vpc_networks: { carried: true, type: "service" },
  pipelines: { carried: true, type: "pipeline" },
  analytics_engine_datasets: { carried: true, type: "analytics-engine" },
  send_email: { carried: true, type: "send-email" },
  images: { carried: true, type: "images" },
  media: { carried: true, type: "rpc" },
  stream: { carried: true, type: "rpc" },
  ai_search: { carried: true, type: "rpc" },
  ai_search_namespaces: { carried: true, type: "rpc" },
  agent_memory: { carried: true, type: "rpc" },
  artifacts: { carried: true, type: "rpc" },
  flagship: { carried: true, type: "rpc" },
  k2: { carried: true, type: "rpc" },
  analytics: { carried: true, type: "rpc" },
  hyperdrive: {
    carried: false,
    why:
      "a Hyperdrive binding hands your code a database connection string that only Cloudflare's " +
      "network can reach, and database drivers open their own TCP connections to it, which no " +
      "proxy Worker can carry. Point the binding at a local database instead " +
      "(`localConnectionString`, or CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_<BINDING>) and " +
      'drop `"remote": true`.',
  },
};
