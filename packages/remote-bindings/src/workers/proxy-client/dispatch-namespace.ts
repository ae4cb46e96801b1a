// A dispatch namespace's `get(name, args, options)` is synchronous in the real API and returns a
// Worker of the namespace. Across RPC it answers a stand-in for that Worker: its fetch() and
// RPC calls travel with the arguments in MF-Dispatch-Namespace-Options, and the proxy server
// makes the real get() call (workers-sdk's protocol does the same).
import { RpcTarget } from "cloudflare:workers";
import type { ProxyClientEnv } from "./client-env.js";
import { remoteFetch } from "./make-fetch.js";
import { remoteCall } from "./remote-call.js";

interface NamespaceTarget {
  remoteUrl: string;
  binding: string;
}

class DispatchedWorker extends RpcTarget {
  constructor(
    private readonly target: NamespaceTarget & { dispatchOptions: string },
    private readonly env: ProxyClientEnv,
  ) {
    super();
  }

  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    return remoteFetch(this.target, new Request(input, init), this.env);
  }
}

export function dispatchedWorker(
  target: NamespaceTarget,
  dispatch: { name: string; args?: unknown; options?: unknown },
  env: ProxyClientEnv,
): RpcTarget {
  const withOptions = { ...target, dispatchOptions: JSON.stringify(dispatch) };
  const worker = new DispatchedWorker(withOptions, env);
  // RPC methods of the dispatched Worker: any other name is a call over its own session.
  return new Proxy(worker, {
    get(self, property) {
      if (property === "then") return undefined;
      if (typeof property === "symbol" || Reflect.has(self, property)) {
        return Reflect.get(self, property);
      }
      return (...args: unknown[]) => remoteCall(withOptions, property, args, env);
    },
  });
}
