// Finds the binding a request names. Only bindings are reachable: the server's own plain-text
// variables and secrets (strings), JSON variables and data blobs are not, whatever their name.
// Dispatch namespaces have a synchronous get(), which the client cannot call across the network,
// so the client sends its arguments along instead.

export class BadRequestError extends Error {}

export type ProxyServerEnv = Record<string, unknown> & {
  ACCESS_TEAM_DOMAIN?: string;
  ACCESS_AUD?: string;
  ACCESS_CERTS_URL?: string;
};

function isBinding(value: unknown): value is object {
  if (typeof value === "function") return true;
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  return (
    prototype !== Object.prototype &&
    prototype !== null &&
    !Array.isArray(value) &&
    !(value instanceof ArrayBuffer) &&
    !ArrayBuffer.isView(value) &&
    Object.prototype.toString.call(value) !== "[object WebAssembly.Module]"
  );
}

function unknownBinding(name: string | null): BadRequestError {
  return new BadRequestError(
    name === null
      ? "The request names no binding: send MF-Binding (a header, or a query parameter for RPC)."
      : `This proxy server has no binding named "${name.slice(0, 100)}". Add it to the proxy ` +
          `server's wrangler config and deploy it again.`,
  );
}

// Plain shapes rather than workers-types' names: this module is unit-tested in Node too.
interface DispatchOptions {
  name: string;
  args?: Record<string, unknown>;
  options?: Record<string, unknown>;
}

interface DispatchNamespaceLike {
  get(name: string, args?: Record<string, unknown>, options?: Record<string, unknown>): object;
}

function parseDispatchOptions(text: string): DispatchOptions {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const options = value as Partial<DispatchOptions> | undefined;
  if (typeof options !== "object" || options === null || typeof options.name !== "string") {
    throw new BadRequestError(
      'MF-Dispatch-Namespace-Options must be JSON of the form {"name": "<worker>", "args"?: {…}, "options"?: {…}}.',
    );
  }
  return options as DispatchOptions;
}

export function resolveBinding(
  env: ProxyServerEnv,
  name: string | null,
  dispatchOptions: string | null,
): object {
  if (name === null) throw unknownBinding(null);
  const binding = Object.hasOwn(env, name) ? env[name] : undefined;
  if (!isBinding(binding)) throw unknownBinding(name);
  if (dispatchOptions === null) return binding;
  const { name: worker, args, options } = parseDispatchOptions(dispatchOptions);
  // A service binding answers every property with a callable (an RPC method), `get` included,
  // so it needs naming out: it is never a dispatch namespace.
  const runtimeClass = (Object.getPrototypeOf(binding) as { constructor?: { name?: string } })
    ?.constructor?.name;
  if (
    runtimeClass === "Fetcher" ||
    typeof (binding as Partial<DispatchNamespaceLike>).get !== "function"
  ) {
    throw new BadRequestError(`Binding "${name}" is not a dispatch namespace.`);
  }
  return (binding as DispatchNamespaceLike).get(worker, args, options);
}
