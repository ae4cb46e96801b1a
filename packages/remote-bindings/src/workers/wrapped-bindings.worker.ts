// Wrapped bindings: modules workerd runs inside the user's isolate to build a binding object.
// AI and Vectorize use workerd's own implementations over our proxy client's fetch path (the
// same modules Miniflare uses over its own client); D1 gets its synchronous API here.
//
// A wrapped binding can only be given JSON, so it finds the proxy client at call time: a
// service binding of the user worker, read from the running request's env.
import makeAi from "cloudflare-internal:ai-api";
import internalEnv from "cloudflare-internal:env";
import makeVectorize from "cloudflare-internal:vectorize-api";
import { RemoteD1Database, type D1Remote } from "./wrapped-bindings/d1-database.js";

interface WrapperEnv {
  kind: "ai" | "vectorize" | "d1";
  binding: string;
  /** The user worker's service binding to the proxy client for this binding. */
  service: string;
  indexName?: string;
}

function proxyClient<T>(env: WrapperEnv): T {
  const service = internalEnv.getCurrentEnv()?.[env.service];
  if (service === undefined) {
    throw new Error(
      `The remote binding "${env.binding}" can only be used while a request, event or RPC call is being handled.`,
    );
  }
  return service as T;
}

export default function wrapBinding(env: WrapperEnv): unknown {
  const fetcher = {
    fetch: (input: RequestInfo | URL, init?: RequestInit) =>
      proxyClient<Fetcher>(env).fetch(input, init),
  };
  switch (env.kind) {
    case "ai":
      return makeAi({ fetcher });
    case "vectorize":
      return makeVectorize({
        fetcher,
        indexId: env.indexName ?? env.binding,
        indexVersion: "v2",
        useNdJson: true,
      });
    case "d1":
      return new RemoteD1Database(() => proxyClient<D1Remote>(env));
  }
}
