// One RPC call (or one recorded chain of calls) on a remote binding: forwarded to the Durable Object that holds the binding's
// session (see rpc-session-host.ts).
import type { ChainStep } from "../../shared/chain-steps.js";
import type { ProxyClientEnv } from "./client-env.js";
import type { RpcSessionTarget } from "./rpc-session-host.js";
import { rpcSessionName } from "./rpc-session-host.js";

function sessionHost(target: RpcSessionTarget, env: ProxyClientEnv) {
  const namespace = env.ACCESS_BRIDGE_RPC_SESSIONS;
  return namespace.get(namespace.idFromName(rpcSessionName(target)));
}

export function remoteCall(
  target: RpcSessionTarget,
  method: string,
  args: unknown[],
  env: ProxyClientEnv,
): Promise<unknown> {
  return sessionHost(target, env).call(target, method, args) as Promise<unknown>;
}

/** A chain of calls recorded by the user's facade (user-facades/service.ts), pipelined as one. */
export function remoteChain(target: RpcSessionTarget, steps: ChainStep[], env: ProxyClientEnv) {
  return sessionHost(target, env).chain(target, steps);
}
