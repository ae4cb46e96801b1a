// The proxy client: one WorkerEntrypoint serves every remote binding of a remote. The user
// worker's binding is a service binding to it whose `props` say which binding, which remote
// and how it is carried; credentials are text bindings of this worker only.
import { WorkerEntrypoint } from "cloudflare:workers";
import { behaviourOf } from "../shared/binding-types.js";
import { RemoteBindingsError } from "../shared/errors.js";
import { TOKEN_EXPIRED_CLOSE_CODE, WIRE } from "../shared/wire-protocol.js";
import type { ProxyClientProps } from "../shared/wire-protocol.js";
import type { ProxyClientEnv } from "./proxy-client/client-env.js";
import { redact } from "./proxy-client/redaction.js";
import { report } from "./proxy-client/reports.js";
import { forgetBearerLease } from "./proxy-client/bearer-token.js";
import { remoteFetch } from "./proxy-client/make-fetch.js";
import { openUpgrade } from "./proxy-client/open-upgrade.js";
import { releasedIfData } from "./proxy-client/released-result.js";
import { remoteCall, remoteChain } from "./proxy-client/remote-call.js";
import { CHAIN_METHOD, type ChainStep } from "../shared/chain-steps.js";
import { pipeSocketOverWebSocket } from "./shared/pipe-socket.js";

// workerd finds a Durable Object class among the main module's exports.
export { RpcSessionHost } from "./proxy-client/rpc-session-host.js";

// workerd does not print unhandled rejections by default; report them. Module scope is per
// isolate, so keep the env of the latest instance.
let latestEnv: ProxyClientEnv | undefined;
addEventListener("unhandledrejection", (event) => {
  if (latestEnv === undefined) return;
  const reason: unknown = event.reason;
  const message = reason instanceof Error ? reason.message : String(reason);
  void report(latestEnv, {
    type: "unhandled-rejection",
    message: `Unhandled rejection in the remote-bindings proxy client: ${message}`,
  });
});

// workerd reads these on an entrypoint to learn which event handlers it has (it probed every one
// of them when a connect() arrived); they must not turn into remote calls. workerd does not let
// RPC reach methods with these names anyway.
const HANDLER_NAMES = new Set([
  "alarm",
  "email",
  "queue",
  "scheduled",
  "self",
  "tail",
  "tailStream",
  "test",
  "trace",
  "webSocketClose",
  "webSocketError",
  "webSocketMessage",
]);

function fetchOnly(props: ProxyClientProps, property: string) {
  return () => {
    throw new RemoteBindingsError(
      "ERR_METHOD_NOT_CARRIED",
      `Remote binding "${props.binding}" is declared as { type: "${props.type}" }, which ` +
        `carries fetch() only, but "${property}" was called. Declare it as { type: "service" } ` +
        `to call RPC methods on it.`,
    );
  };
}

type Loopback = (options: { props: ProxyClientProps }) => Fetcher;

// A dispatch namespace's get() is synchronous in the real API and gives a Worker of the
// namespace. Here it gives this client again, as a loopback service binding whose props carry
// get()'s arguments: its fetch() and RPC calls send them in MF-Dispatch-Namespace-Options, and
// the proxy server makes the real get() call (workers-sdk's protocol does the same).
function dispatchedWorker(
  ctx: ExecutionContext<ProxyClientProps>,
  dispatch: { name: string; args?: unknown; options?: unknown },
): Fetcher {
  const loopback = (ctx.exports as unknown as Record<string, Loopback>).default!;
  return loopback({
    props: { ...ctx.props, type: "service", dispatchOptions: JSON.stringify(dispatch) },
  });
}

export default class ProxyClient extends WorkerEntrypoint<ProxyClientEnv, ProxyClientProps> {
  constructor(ctx: ExecutionContext<ProxyClientProps>, env: ProxyClientEnv) {
    super(ctx, env);
    latestEnv = env;
    const props = ctx.props;
    const behaviour = behaviourOf(props.type);
    const target = {
      remoteUrl: props.remoteUrl,
      binding: props.binding,
      ...(props.dispatchOptions === undefined ? {} : { dispatchOptions: props.dispatchOptions }),
    };

    // Every property this class does not define is a method of the remote binding.
    return new Proxy(this, {
      get(self, property) {
        // Never thenable: `await env.API`, `Promise.resolve(env.API)` or returning the binding
        // from an async function read `then`; that must neither open the socket nor send a
        // remote `then` call.
        if (property === "then") return undefined;
        if (
          typeof property === "symbol" ||
          HANDLER_NAMES.has(property) ||
          Reflect.has(self, property)
        ) {
          return Reflect.get(self, property);
        }
        if (behaviour === "fetcher") return fetchOnly(props, property);
        if (behaviour === "service" && property === CHAIN_METHOD) {
          return (steps: ChainStep[]) => remoteChain(target, steps, env);
        }
        if (behaviour === "dispatch-namespace" && property === "get") {
          return (name: string, args?: unknown, options?: unknown) =>
            dispatchedWorker(ctx, { name, args, options });
        }
        return async (...args: unknown[]) =>
          releasedIfData(await remoteCall(target, property, args, env));
      },
    });
  }

  override fetch(request: Request): Promise<Response> {
    return remoteFetch(this.ctx.props, request, this.env);
  }

  // Inbound connect() handlers need the "experimental" compatibility flag (workerd#6059). The
  // address given to `binding.connect()` arrives as the socket's `localAddress` (workerd#6688).
  // A failure here cannot reach the caller, whose socket just ends: workerd turns a throwing
  // connect handler into a clean EOF. So failures are reported instead.
  override async connect(socket: Socket): Promise<void> {
    const { binding, remoteUrl } = this.ctx.props;
    try {
      const { localAddress } = await socket.opened;
      const { webSocket, lease } = await openUpgrade(
        {
          remoteUrl,
          url: new URL(remoteUrl),
          headers: { [WIRE.BINDING]: binding, [WIRE.CONNECT_ADDRESS]: localAddress ?? "" },
          binding,
          path: "connect",
        },
        this.env,
      );
      let tokenExpired = false;
      webSocket.addEventListener("close", (event) => {
        tokenExpired = event.code === TOKEN_EXPIRED_CLOSE_CODE;
      });
      await pipeSocketOverWebSocket(socket, webSocket);
      if (tokenExpired) {
        if (lease !== undefined) forgetBearerLease(remoteUrl, lease);
        await report(this.env, {
          type: "error",
          binding,
          message:
            `Remote binding "${binding}" (connect): the proxy server closed the connection to ` +
            `${localAddress ?? "its address"} when the access token it was opened with expired ` +
            `(OAuth mode). Open a new connection; it gets a fresh token.`,
        });
      }
    } catch (error) {
      await socket.close().catch(() => {});
      if (error instanceof RemoteBindingsError && error.reported) return;
      const message = error instanceof Error ? error.message : String(error);
      await report(this.env, {
        type: "error",
        binding,
        message: `Remote binding "${binding}": ${redact(message, this.env)}`,
      });
    }
  }
}
