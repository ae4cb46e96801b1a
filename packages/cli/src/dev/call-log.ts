import { Response, type Request, type V4WorkerOptions as WorkerOptions } from "miniflare";
import type { Logger } from "../logger.js";

export const CALL_LOG_WORKER = "access-bridge-call-log";

/**
 * At --log-level debug, each remote binding of the user worker goes through this entrypoint on
 * its way to the proxy client: it times every fetch() and RPC call and reports binding, path,
 * status and time to Node once the call has settled. Off by default: it is one more hop.
 */
const CALL_LOG_SCRIPT = `
import { WorkerEntrypoint } from "cloudflare:workers";

export default class CallLog extends WorkerEntrypoint {
  constructor(ctx, env) {
    super(ctx, env);
    const { binding, label } = ctx.props;
    const target = env[binding];
    const report = (path, status, started) =>
      ctx.waitUntil(env.CALL_LOG.fetch("http://call-log/", {
        method: "POST",
        body: JSON.stringify({ binding: label, path, status, ms: Date.now() - started }),
      }));
    const timed = async (path, call, statusOf) => {
      const started = Date.now();
      try {
        const result = await call();
        report(path, statusOf(result), started);
        return result;
      } catch (error) {
        report(path, "error", started);
        throw error;
      }
    };
    return new Proxy(this, {
      get(self, property) {
        // Never thenable, like the proxy client behind it.
        if (property === "then") return undefined;
        if (property === "fetch") {
          return (request) => timed("HTTP", () => target.fetch(request), (response) => response.status);
        }
        if (typeof property === "symbol" || Reflect.has(self, property)) return Reflect.get(self, property);
        return (...args) => timed("RPC " + property, () => target[property](...args), () => "ok");
      },
    });
  }
}
`;

interface CallLogEntry {
  binding: string;
  path: string;
  status: number | string;
  ms: number;
}

function callLogHandler(logger: Logger) {
  return async (request: Request): Promise<Response> => {
    const { binding, path, status, ms } = (await request.json()) as CallLogEntry;
    logger.debug(`${binding} ${path} ${status} ${ms}ms`);
    return new Response(null, { status: 204 });
  };
}

type ServiceBindings = NonNullable<WorkerOptions["serviceBindings"]>;

/**
 * Reroutes the user worker's service bindings to `proxyClient` through the call log; returns the
 * rewritten user worker and the call-log worker to add to Miniflare.
 */
export function withCallLog(
  user: WorkerOptions,
  proxyClient: string,
  logger: Logger,
): { user: WorkerOptions; callLog: WorkerOptions } {
  const rerouted: ServiceBindings = {};
  const targets: ServiceBindings = {};
  for (const [name, binding] of Object.entries(user.serviceBindings ?? {})) {
    const pointsAtClient =
      typeof binding === "object" &&
      binding !== null &&
      "name" in binding &&
      binding.name === proxyClient;
    // D1, AI and Vectorize reach the client through a hidden binding; log the name users wrote.
    const label = name.replace(/^__ACCESS_BRIDGE_/, "");
    rerouted[name] = pointsAtClient
      ? { name: CALL_LOG_WORKER, props: { binding: name, label } }
      : binding;
    if (pointsAtClient) targets[name] = binding;
  }
  return {
    user: { ...user, serviceBindings: rerouted },
    callLog: {
      name: CALL_LOG_WORKER,
      modules: true,
      script: CALL_LOG_SCRIPT,
      compatibilityDate: "2026-04-01",
      serviceBindings: { ...targets, CALL_LOG: callLogHandler(logger) },
    },
  };
}
