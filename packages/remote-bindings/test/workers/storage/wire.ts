// How a scenario reaches storage: the binding itself (the reference), the user's-isolate facade
// calling the proxy server's adapter directly, or the same two across a capnweb session over a
// MessageChannel, which carries exactly what the production WebSocket session carries.
import { newMessagePortRpcSession, type RpcTarget } from "capnweb";
import type { RawBinding } from "../../../src/workers/user-facades/raw-binding.js";

export type Via = "binding" | "facade" | "capnweb";

export interface Wired {
  raw: RawBinding;
  close(): void;
}

export function wire(adapter: RpcTarget, via: Exclude<Via, "binding">): Wired {
  if (via === "facade") return { raw: adapter as unknown as RawBinding, close() {} };
  const channel = new MessageChannel();
  newMessagePortRpcSession(channel.port1, adapter);
  const stub = newMessagePortRpcSession(channel.port2);
  return {
    raw: stub as unknown as RawBinding,
    close() {
      channel.port1.close();
      channel.port2.close();
    },
  };
}
