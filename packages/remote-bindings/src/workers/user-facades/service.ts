// A service binding in the user's isolate: the binding itself, except that a chain of calls on
// what a call returns (`env.API.getCounter().increment()`) goes to the proxy client as one
// recorded chain, which its session host pipelines on capnweb (proxy-client/pending-chain.ts):
// one round trip instead of two. Without this, the second call waits in workerd until the first
// call's answer is back (workerd delivers a call pipelined on a JS RPC method's promise only once
// that promise resolves).
//
// Calls start as they do on the binding: at once (after the current microtask), in order. A call
// with nothing pipelined on it by then goes out as the binding's own call, so a lone call costs
// what it did. Only a chain takes the recorded path; what the chain hands back (values, stubs,
// errors) is what the remote answered, and a step awaited later reaches the same remote object.
import { CHAIN_BINDING, CHAIN_METHOD, type ChainStep } from "../../shared/chain-steps.js";
import type { RawBinding } from "./raw-binding.js";

type Thenable = Record<PropertyKey, unknown> & PromiseLike<unknown>;

/** The proxy client's chain (pending-chain.ts), as the facade pipelines on it. */
interface RemoteChain {
  extend(steps: ChainStep[]): Thenable;
  value(index: number): Thenable;
  release(index: number): Thenable;
  [Symbol.dispose](): void;
}

const PROMISE_METHODS = new Set<PropertyKey>(["then", "catch", "finally"]);

// A chain's steps: the method read off the binding (0), then its call (1), then the rest.
const ROOT_CALL = 1;

// Calls the facade makes for the user but hands nobody: a failure of theirs shows on the step
// the user awaits, and must never be an unhandled rejection.
function quietly(call: Thenable): void {
  call.then(
    () => {},
    () => {},
  );
}

/** The calls recorded on one call of the binding, and how they were sent. */
class Chain {
  readonly #raw: RawBinding;
  readonly #steps: ChainStep[] = [];
  #sent = 0;
  #mode: "native" | "pipelined" | undefined;
  readonly #natives = new Map<number, unknown>();
  #remote: RemoteChain | undefined;
  readonly #values = new Map<number, Thenable>();
  readonly #released = new Set<number>();
  /** Steps whose value has settled (see dispose()). */
  readonly #settled = new Set<number>();

  constructor(raw: RawBinding) {
    this.#raw = raw;
    queueMicrotask(() => this.flush());
  }

  get native(): boolean {
    return this.#mode === "native";
  }

  record(step: ChainStep): number {
    this.#steps.push(step);
    if (this.#mode !== undefined) this.#send();
    return this.#steps.length - 1;
  }

  /** Sends what was recorded; the first flush decides how the chain travels. */
  flush(): void {
    if (this.#mode !== undefined) return;
    // Two steps are a lone call (the method, then its call): the binding's own call does it.
    this.#mode = this.#steps.length <= 2 ? "native" : "pipelined";
    this.#send();
  }

  value(index: number): Thenable {
    this.flush();
    if (this.#mode === "native") return this.nativeOf(index) as Thenable;
    let value = this.#values.get(index);
    if (value === undefined) {
      value = this.#remote!.value(index);
      const settled = () => void this.#settled.add(index);
      value.then(settled, settled);
      this.#values.set(index, value);
    }
    return value;
  }

  dispose(index: number): void {
    this.flush();
    if (this.#mode === "native") {
      const native = this.nativeOf(index) as { [Symbol.dispose]?: () => void };
      native[Symbol.dispose]?.();
      return;
    }
    this.#released.add(index);
    if (index === ROOT_CALL) this.#askForEveryValue();
    if (index === ROOT_CALL && this.#ended()) {
      // Nothing of the chain is under way and the caller holds none of its values' stubs by way
      // of the first call: disposing the chain's stub releases every step the caller was not
      // handed, the first call among them, in one message rather than a release and then that.
      this.#remote![Symbol.dispose]();
      return;
    }
    quietly(this.#remote!.release(index));
    if (index === ROOT_CALL) {
      const remote = this.#remote!;
      void Promise.allSettled([...this.#values.values()]).then(() => remote[Symbol.dispose]());
    }
  }

  #ended(): boolean {
    if (this.#values.has(ROOT_CALL)) return false;
    for (const index of this.#values.keys()) if (!this.#settled.has(index)) return false;
    return true;
  }

  // Disposing the chain's first call ends what is pipelined on it, as on the binding, and the
  // proxy client's chain goes too: its stub is the facade's, not the caller's, and left to the
  // collector it made workerd warn "An RPC stub was not disposed properly" where the binding's own
  // call would not. On the binding every call is a promise of its own that still settles after
  // that, so the values of calls not yet awaited are asked for first.
  #askForEveryValue(): void {
    this.#steps.forEach((step, index) => {
      if ("call" in step && !this.#released.has(index)) quietly(this.value(index));
    });
  }

  /** What the binding's own API gives for step `index` (native mode). */
  nativeOf(index: number): unknown {
    if (index === CHAIN_BINDING) return this.#raw;
    if (this.#natives.has(index)) return this.#natives.get(index);
    const step = this.#steps[index]!;
    let native: unknown;
    if ("get" in step) {
      native = (this.nativeOf(step.on) as Record<string, unknown>)[step.get];
    } else {
      // A method is called on its object, as `env.API.method()` would be.
      const callee = this.#steps[step.on];
      native =
        callee !== undefined && "get" in callee
          ? (this.nativeOf(callee.on) as Record<string, (...args: unknown[]) => unknown>)[
              callee.get
            ]!(...step.call)
          : (this.nativeOf(step.on) as (...args: unknown[]) => unknown)(...step.call);
    }
    this.#natives.set(index, native);
    return native;
  }

  #send(): void {
    const from = this.#sent;
    this.#sent = this.#steps.length;
    if (this.#mode === "native") {
      // Calls start now; property reads wait until something uses them.
      for (let index = from; index < this.#sent; index++) {
        if ("call" in this.#steps[index]!) this.nativeOf(index);
      }
      return;
    }
    const steps = this.#steps.slice(from);
    if (this.#remote === undefined) {
      // Pipelined on, never awaited here: awaiting would take the chain's stub into this
      // isolate for nothing.
      this.#remote = this.#raw[CHAIN_METHOD]!(steps) as unknown as RemoteChain;
    } else if (steps.length > 0) {
      quietly(this.#remote.extend(steps));
    }
  }
}

/** What a call (or a property read) on the binding's results gives: like workerd's RpcPromise. */
function stepProxy(chain: Chain, index: number): unknown {
  return new Proxy(function step() {}, {
    get(_, key) {
      if (PROMISE_METHODS.has(key)) {
        const value = chain.value(index);
        const method = value[key];
        return typeof method === "function" ? method.bind(value) : method;
      }
      if (key === Symbol.dispose) return () => chain.dispose(index);
      if (typeof key === "symbol") {
        return chain.native ? Reflect.get(chain.nativeOf(index) as object, key) : undefined;
      }
      return stepProxy(chain, chain.record({ on: index, get: key }));
    },
    apply(_, __, args: unknown[]) {
      return stepProxy(chain, chain.record({ on: index, call: args }));
    },
  });
}

/** `env.API.method`: called, it starts a chain; otherwise it is the binding's own property. */
function methodProxy(raw: RawBinding, name: string): unknown {
  return new Proxy(function method() {}, {
    get(_, key) {
      const property = raw[name] as unknown as Record<PropertyKey, unknown>;
      const value = Reflect.get(property, key);
      return PROMISE_METHODS.has(key) && typeof value === "function" ? value.bind(property) : value;
    },
    apply(_, __, args: unknown[]) {
      const chain = new Chain(raw);
      const method = chain.record({ on: CHAIN_BINDING, get: name });
      return stepProxy(chain, chain.record({ on: method, call: args }));
    },
  });
}

/** Names the binding object itself defines (fetch, connect, …): never remote calls. */
function ownApi(raw: object): Set<string> {
  const names = new Set<string>();
  for (let object: object | null = raw; object !== null; object = Object.getPrototypeOf(object)) {
    for (const name of Object.getOwnPropertyNames(object)) names.add(name);
  }
  return names;
}

export function serviceFacade(raw: RawBinding) {
  const api = ownApi(raw);
  return new Proxy(raw, {
    get(target, key) {
      // Never thenable, like the binding: `await env.API` must not start a remote call.
      if (key === "then") return undefined;
      if (typeof key === "symbol" || api.has(key)) {
        const value: unknown = Reflect.get(target, key);
        // A method of the service binding must be called on it, not on this proxy.
        return typeof value === "function" ? value.bind(target) : value;
      }
      return methodProxy(target, key);
    },
  });
}
