// Finds the binding a request names. Dispatch namespaces have a synchronous get(), which the
// client cannot call across the network, so the client sends its arguments along instead.

export class UnknownBindingError extends Error {
  constructor(name: string | null) {
    super(
      name === null
        ? `The request names no binding: send ${"MF-Binding"} (a header, or a query parameter for RPC).`
        : `This proxy server has no binding named "${name}". Add it to the proxy server's wrangler.jsonc and deploy it again.`,
    );
  }
}

export type ProxyServerEnv = Record<string, unknown> & {
  ACCESS_TEAM_DOMAIN?: string;
  ACCESS_AUD?: string;
  ACCESS_CERTS_URL?: string;
};

const CONFIGURATION_VARS = new Set(["ACCESS_TEAM_DOMAIN", "ACCESS_AUD", "ACCESS_CERTS_URL"]);

export function resolveBinding(
  env: ProxyServerEnv,
  name: string | null,
  dispatchOptions: string | null,
): unknown {
  // Configuration variables are not bindings a client may reach.
  const binding = name === null || CONFIGURATION_VARS.has(name) ? undefined : env[name];
  if (binding === undefined || binding === null) throw new UnknownBindingError(name);
  if (dispatchOptions !== null) {
    const {
      name: worker,
      args,
      options,
    } = JSON.parse(dispatchOptions) as {
      name: string;
      args?: Record<string, unknown>;
      options?: DynamicDispatchOptions;
    };
    return (binding as DispatchNamespace).get(worker, args, options);
  }
  return binding;
}
