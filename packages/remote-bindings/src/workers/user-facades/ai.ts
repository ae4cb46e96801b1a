// Workers AI in the user's isolate: the binding itself, except that a streamed answer
// (`run(model, { stream: true, … })`) arrives as bytes on the HTTP path (byte-call.ts) rather
// than as capnweb stream messages over the RPC session. Every other call is the binding's own.
import { byteCall } from "./byte-call.js";
import type { RawBinding } from "./raw-binding.js";

const streams = (inputs: unknown) =>
  typeof inputs === "object" && inputs !== null && (inputs as { stream?: unknown }).stream === true;

export function aiFacade(raw: RawBinding) {
  const run = (...args: unknown[]) =>
    streams(args[1]) ? byteCall(raw, "run", args) : raw.run!(...args);
  return new Proxy(raw, {
    get(target, property) {
      if (property === "run") return run;
      const value: unknown = Reflect.get(target, property);
      // A method of the service binding must be called on it, not on this proxy.
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
