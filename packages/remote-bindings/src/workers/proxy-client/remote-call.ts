// One RPC call on a remote binding: forwarded to the Durable Object that holds the binding's
// session (see rpc-session-host.ts).
import type { ProxyClientEnv } from "./client-env.js";
import type { RpcSessionTarget } from "./rpc-session-host.js";
import { rpcSessionName } from "./rpc-session-host.js";

export function remoteCall(
  target: RpcSessionTarget,
  method: string,
  args: unknown[],
  env: ProxyClientEnv,
): Promise<unknown> {
  const namespace = env.ACCESS_BRIDGE_RPC_SESSIONS;
  const host = namespace.get(namespace.idFromName(rpcSessionName(target)));
  return host.call(target, method, args) as Promise<unknown>;
}
