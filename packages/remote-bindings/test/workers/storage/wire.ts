// How a scenario reaches storage: the binding itself (the reference), the user's-isolate facade
// calling the proxy server's adapter directly, or the same two across a capnweb session over a
// MessageChannel, which carries exactly what the production WebSocket session carries. Byte calls
// (R2 bodies) are the binding's fetch(): served here as the proxy server serves them, with the
// headers as the proxy client sends them.
import { newMessagePortRpcSession, type RpcTarget } from "capnweb";
import { WIRE } from "../../../src/shared/wire-protocol.js";
import { serveByteCall } from "../../../src/workers/proxy-server/byte-call.js";
import type { RawBinding } from "../../../src/workers/user-facades/raw-binding.js";

export type Via = "binding" | "facade" | "capnweb";

export interface Wired {
  raw: RawBinding;
  close(): void;
}

function withByteCalls(methods: object, binding: object): RawBinding {
  const fetch = (url: string, init: RequestInit) => {
    const headers = new Headers();
    for (const [name, value] of new Headers(init.headers)) {
      headers.set(`${WIRE.HEADER_PREFIX}${name}`, value);
    }
    // A Request states the length of a body it knows, as the proxy client's fetch() would.
    const request = new Request(url, { ...init, headers });
    return serveByteCall(request, binding);
  };
  return new Proxy({} as RawBinding, {
    get: (_, property) =>
      property === "fetch"
        ? fetch
        : (...args: unknown[]) =>
            (methods as Record<string | symbol, (...a: unknown[]) => unknown>)[property]!(...args),
  });
}

export function wire(adapter: RpcTarget, via: Exclude<Via, "binding">, binding: object): Wired {
  if (via === "facade") return { raw: withByteCalls(adapter, binding), close() {} };
  const channel = new MessageChannel();
  newMessagePortRpcSession(channel.port1, adapter);
  const stub = newMessagePortRpcSession(channel.port2);
  return {
    raw: withByteCalls(stub, binding),
    close() {
      channel.port1.close();
      channel.port2.close();
    },
  };
}
