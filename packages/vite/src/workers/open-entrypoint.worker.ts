// The Cloudflare Vite plugin runs every Worker, auxiliary ones too, behind wrapper entrypoints
// of its own, which call a method over RPC only when the entrypoint class's prototype has it
// (getRpcProperty in its runner worker): an entrypoint that answers any method name from a
// Proxy on its instance, as the proxy client does for the remote binding behind it, is refused.
// This gives such a class a prototype that has every method name, each calling the instance.
import type { WorkerEntrypoint } from "cloudflare:workers";

type EntrypointClass = new (ctx: ExecutionContext, env: unknown) => WorkerEntrypoint;

// Never thenable, like the proxy client itself: reading `then` must not become a remote call.
const NOT_METHODS = new Set(["then", "constructor"]);

export function openEntrypoint(Entrypoint: EntrypointClass): EntrypointClass {
  const prototype = new Proxy(Entrypoint.prototype as object, {
    has(target, key) {
      return Reflect.has(target, key) || (typeof key === "string" && !NOT_METHODS.has(key));
    },
    get(target, key, receiver) {
      if (typeof key === "symbol" || NOT_METHODS.has(key) || Reflect.has(target, key)) {
        return Reflect.get(target, key, receiver);
      }
      return function (this: Record<string, (...args: unknown[]) => unknown>, ...args: unknown[]) {
        return this[key]!(...args);
      };
    },
  });
  // A constructor that returns the real instance: `instanceof WorkerEntrypoint` still holds.
  function OpenEntrypoint(ctx: ExecutionContext, env: unknown) {
    return new Entrypoint(ctx, env);
  }
  OpenEntrypoint.prototype = prototype;
  return OpenEntrypoint as unknown as EntrypointClass;
}
