// What capnweb serves for a binding: storage bindings get their plain-data adapter (matched by
// runtime class, not by shape: a service binding answers every property with a callable, so it
// would pass for any storage binding); service bindings, RpcTargets and functions, which capnweb
// calls already, are served as they are; any other binding object gets its methods forwarded.
import { RpcTarget } from "capnweb";
import * as workers from "cloudflare:workers";
import { D1Adapter } from "./d1-adapter.js";
import { forwardingTarget } from "./forwarding-target.js";
import { KvAdapter } from "./kv-adapter.js";
import { R2Adapter } from "./r2-adapter.js";

// workerd exports the class of service bindings and Durable Object stubs, but
// @cloudflare/workers-types does not declare it.
const { RpcStub, ServiceStub } = workers as unknown as Record<
  "RpcStub" | "ServiceStub",
  abstract new () => object
>;

function runtimeClassOf(value: object): string {
  const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  return prototype?.constructor?.name ?? "";
}

/**
 * Service bindings and Durable Object stubs are ServiceStubs; capnweb proxies workerd's RPC for
 * those, for RPC stubs and for its own targets itself. Their fetch() is their own.
 */
export function servedAsIs(binding: object): boolean {
  return (
    typeof binding === "function" ||
    binding instanceof RpcTarget ||
    binding instanceof ServiceStub ||
    binding instanceof RpcStub
  );
}

export function rpcTargetFor(binding: object): unknown {
  if (servedAsIs(binding)) return binding;
  switch (runtimeClassOf(binding)) {
    case "KvNamespace":
      return new KvAdapter(binding as KVNamespace);
    case "R2Bucket":
      return new R2Adapter(binding as R2Bucket);
    case "D1Database":
      return new D1Adapter(binding as D1Database);
    default:
      return forwardingTarget(binding);
  }
}
