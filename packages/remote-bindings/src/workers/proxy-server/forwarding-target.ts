// Product bindings (Workers AI, Vectorize, Queues, Pipelines, …) are objects whose API is a set
// of async methods, but capnweb only calls methods on RpcTargets, functions and service stubs,
// never on another class's instance ("RPC stub points at a non-serializable type"). This target
// forwards each method call to the binding; nothing else of the binding is reachable.
import { RpcTarget } from "capnweb";

// Present on every object, or meaningful only locally: never forwarded.
const NEVER_FORWARDED = new Set(["constructor", "then", "toJSON", "valueOf", "toString"]);

function isPlainData(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return true;
  const prototype = Object.getPrototypeOf(value) as object | null;
  return (
    prototype === Object.prototype ||
    prototype === null ||
    Array.isArray(value) ||
    value instanceof ReadableStream ||
    value instanceof WritableStream ||
    value instanceof Response ||
    value instanceof Request ||
    value instanceof Headers ||
    value instanceof Blob ||
    value instanceof Date ||
    value instanceof Error ||
    value instanceof URL ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value) ||
    value instanceof RpcTarget
  );
}

/** A result capnweb can carry: data as it is, another class's instance (a handle) forwarded. */
function carried(value: unknown): unknown {
  return isPlainData(value) ? value : forwardingTarget(value as object);
}

export function forwardingTarget(binding: object): RpcTarget {
  return new Proxy(new RpcTarget(), {
    get(target, property) {
      if (typeof property !== "string" || NEVER_FORWARDED.has(property)) {
        return Reflect.get(target, property);
      }
      const method: unknown = Reflect.get(binding, property);
      if (typeof method !== "function") return undefined;
      return async (...args: unknown[]) =>
        carried(await (method as (...a: unknown[]) => unknown).apply(binding, args));
    },
  });
}
