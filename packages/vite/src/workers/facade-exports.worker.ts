// The Cloudflare Vite plugin runs the app's Worker through its module runner, and gives each
// handler call and each entrypoint or Durable Object a fresh copy of env (stripInternalEnv in
// its runner worker). Replacing bindings in the isolate's env, which is how the facades are
// installed elsewhere, reaches only the module runner's own `env` of "cloudflare:workers". So
// the entry's exports are wrapped (see entry-exports.ts): every env a handler or constructor
// receives gets the facades that were installed in that `env`.

// The handlers the plugin's runner calls on an exported object, each as (event, env, ctx).
const HANDLERS = new Set([
  "connect",
  "email",
  "fetch",
  "queue",
  "scheduled",
  "tail",
  "tailStream",
  "test",
  "trace",
]);

type Handler = (this: unknown, event: unknown, env: unknown, ctx: unknown) => unknown;

export function facadeExports(
  facadedEnv: Record<string, unknown>,
  names: readonly string[],
): (value: unknown) => unknown {
  const done = new WeakSet<object>([facadedEnv]);
  const giveFacades = (env: unknown): void => {
    if (typeof env !== "object" || env === null || done.has(env)) return;
    done.add(env);
    const target = env as Record<string, unknown>;
    for (const name of names) {
      if (name in target && facadedEnv[name] !== undefined) target[name] = facadedEnv[name];
    }
  };

  const handlers = new WeakMap<Handler, Handler>();
  const handlerWithFacades = (handler: Handler, self: object): Handler => {
    let wrapped = handlers.get(handler);
    if (wrapped === undefined) {
      // Called on the object itself, not on the Proxy: its private fields stay reachable.
      wrapped = (event, env, ctx) => {
        giveFacades(env);
        return handler.call(self, event, env, ctx);
      };
      handlers.set(handler, wrapped);
    }
    return wrapped;
  };

  return (value) => {
    // Classes (entrypoints, Durable Objects, workflows) get env as their second argument.
    if (typeof value === "function" && value.prototype !== undefined) {
      return new Proxy(value, {
        construct(target, args, newTarget) {
          giveFacades(args[1]);
          return Reflect.construct(target, args, newTarget) as object;
        },
      });
    }
    if (typeof value === "object" && value !== null) {
      const record = value as Record<string, unknown>;
      if (![...HANDLERS].some((name) => typeof record[name] === "function")) return value;
      return new Proxy(record, {
        get(target, key, receiver) {
          const property: unknown = Reflect.get(target, key, receiver);
          return typeof key === "string" && HANDLERS.has(key) && typeof property === "function"
            ? handlerWithFacades(property as Handler, target)
            : property;
        },
      });
    }
    return value;
  };
}
