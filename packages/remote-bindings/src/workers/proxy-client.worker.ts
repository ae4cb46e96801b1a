// The proxy client: one WorkerEntrypoint serves every remote binding of a remote. The user
// worker's binding is a service binding to it whose `props` say which binding and proxy URL;
// credentials are text bindings of this worker only, never of the user worker.
import { WorkerEntrypoint } from "cloudflare:workers";
import { RemoteBindingsError } from "../errors.js";
import { WIRE } from "../wire-protocol.js";
import type { ProxyClientProps } from "../wire-protocol.js";
import type { ProxyClientEnv } from "./proxy-client/client-env.js";
import { report } from "./proxy-client/client-env.js";
import { makeFetch } from "./proxy-client/make-fetch.js";
import { openUpgrade } from "./proxy-client/open-upgrade.js";
import { redact } from "./proxy-client/redact.js";
import { remoteMethods } from "./proxy-client/rpc-session-host.js";
import { storageFacade } from "./proxy-client/storage-facades.js";
import { pipeSocketOverWebSocket } from "./shared/pipe-socket.js";

// workerd finds a Durable Object class among the main module's exports.
export { RpcSessionHost } from "./proxy-client/rpc-session-host.js";

// workerd does not print unhandled rejections by default; report them to Node, where they are
// shown as warnings. Module scope is per isolate, so keep the env of the latest instance.
let latestEnv: ProxyClientEnv | undefined;
addEventListener("unhandledrejection", (event) => {
  if (latestEnv === undefined) return;
  const reason: unknown = event.reason;
  const message = reason instanceof Error ? reason.message : String(reason);
  void report(latestEnv, { type: "unhandled-rejection", message: redact(message, latestEnv) });
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

function notAnRpcBinding(binding: string, property: string) {
  return () => {
    throw new RemoteBindingsError(
      "NOT_AN_RPC_BINDING",
      `Remote binding "${binding}" is declared as { type: "fetcher" }, so only its fetch() is ` +
        `proxied, but "${property}" was called. Declare it as { type: "service" } in ` +
        `remoteBindings() to call RPC methods on it.`,
    );
  };
}

// AI and Vectorize reach their remote through fetch() alone, as workerd's own clients do.
const FETCH_ONLY_KINDS = new Set(["fetcher", "ai", "vectorize"]);

function notAStorageMethod(binding: string, kind: string, property: string) {
  return () => {
    throw new RemoteBindingsError(
      "NOT_AN_RPC_BINDING",
      `Remote ${kind.toUpperCase()} binding "${binding}" has no method "${property}" through ` +
        `access-bridge. The methods that work are listed in the @access-bridge/remote-bindings README.`,
    );
  };
}

export default class ProxyClient extends WorkerEntrypoint<ProxyClientEnv, ProxyClientProps> {
  constructor(ctx: ExecutionContext<ProxyClientProps>, env: ProxyClientEnv) {
    super(ctx, env);
    latestEnv = env;
    const props = ctx.props;
    // Nothing is opened here: the session is opened by the first RPC call that needs it.
    const remote = remoteMethods({ remoteUrl: props.remoteUrl, binding: props.binding }, env);
    const storage =
      props.kind === "kv" || props.kind === "r2" ? storageFacade(props.kind, remote) : undefined;

    // Every property this class does not define is an RPC call on the remote binding.
    return new Proxy(this, {
      get(target, property) {
        // Never thenable: `await env.API`, `Promise.resolve(env.API)` or returning the binding
        // from an async function read `then`; that must neither open the socket nor send a
        // remote `then` call.
        if (property === "then") return undefined;
        if (
          typeof property === "symbol" ||
          HANDLER_NAMES.has(property) ||
          Reflect.has(target, property)
        ) {
          return Reflect.get(target, property);
        }
        if (FETCH_ONLY_KINDS.has(props.kind)) return notAnRpcBinding(props.binding, property);
        if (storage !== undefined) {
          return storage[property] ?? notAStorageMethod(props.binding, props.kind, property);
        }
        return remote(property);
      },
    });
  }

  override fetch(request: Request): Promise<Response> {
    return makeFetch(this.ctx.props, this.env)(request);
  }

  // Inbound connect() handlers need the "experimental" compatibility flag (workerd#6059).
  // A failure here cannot reach the caller, whose socket just ends: workerd turns a throwing
  // connect handler into a clean EOF. So failures are reported to Node as warnings instead.
  override async connect(socket: Socket): Promise<void> {
    const { binding, remoteUrl, connectAddress } = this.ctx.props;
    try {
      // Newer workerd passes the address given to `binding.connect()` as `localAddress`
      // (workerd#6688); older ones drop it, so the binding's configured address stands in.
      const { localAddress } = await socket.opened;
      const address = localAddress || connectAddress;
      if (!address) {
        throw new RemoteBindingsError(
          "CONNECT_ADDRESS_MISSING",
          `connect() on remote binding "${binding}" has no target address: this workerd does ` +
            `not pass it to the proxy client. Set connectAddress for "${binding}" in remoteBindings().`,
        );
      }
      const webSocket = await openUpgrade(
        {
          url: new URL(remoteUrl),
          headers: { [WIRE.BINDING]: binding, [WIRE.CONNECT_ADDRESS]: address },
          binding,
          path: "connect",
        },
        this.env,
      );
      await pipeSocketOverWebSocket(socket, webSocket);
    } catch (error) {
      await socket.close().catch(() => {});
      // Access blocks were reported where they were recognised, with their own guidance.
      const code = error instanceof RemoteBindingsError ? error.code : undefined;
      if (code === "ACCESS_NO_CREDENTIALS" || code === "ACCESS_CREDENTIALS_REJECTED") return;
      const message = error instanceof Error ? error.message : String(error);
      await report(this.env, { type: "error", binding, message: redact(message, this.env) });
    }
  }
}
