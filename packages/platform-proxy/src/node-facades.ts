// getPlatformProxy() hands Node each remote binding as what the config made of it: a service
// binding to the proxy client. KV, R2, D1 and AI need their facade to have their real API (a
// synchronous prepare(), a Map from a bulk get, writeHttpMetadata() into the caller's Headers):
// the same facades the user's Worker gets inside workerd, put around the bindings here.
import {
  aiFacade,
  d1Facade,
  kvFacade,
  r2Facade,
} from "@access-bridge/remote-bindings/binding-facades";
import { FACADE_TYPES, type CarriedBinding } from "@access-bridge/remote-bindings";

type RawBinding = Record<string, (...args: unknown[]) => Promise<unknown>>;

/**
 * Miniflare's proxy hands back some RPC results as stubs that fetch each property on access (an
 * object whose prototype is not Object's, such as D1's results). D1's results are JSON by
 * nature (they are over the wire in production too), so they become plain objects here, which
 * frameworks can serialise and clone.
 */
function plainResults(raw: RawBinding): RawBinding {
  return new Proxy(raw, {
    get(target, property) {
      const method = target[property as string];
      if (typeof method !== "function") return method;
      return async (...args: unknown[]) => {
        const result = await method.apply(target, args);
        return result === undefined ? undefined : JSON.parse(JSON.stringify(result));
      };
    },
  });
}

const FACADES = {
  ai: aiFacade,
  d1: (raw: RawBinding) => d1Facade(plainResults(raw)),
  kv: kvFacade,
  r2: r2Facade,
} as const;

/** `env` with each carried binding of FACADE_TYPES behind its facade; every other one as is. */
export function withFacades<Env extends Record<string, unknown>>(
  env: Env,
  carried: readonly CarriedBinding[],
): Env {
  const wrapped: Record<string, unknown> = { ...env };
  for (const binding of carried) {
    if (!FACADE_TYPES.has(binding.type)) continue;
    const raw = env[binding.name] as RawBinding | undefined;
    if (raw === undefined) continue;
    wrapped[binding.name] = FACADES[binding.type as keyof typeof FACADES](raw);
  }
  return wrapped as Env;
}
