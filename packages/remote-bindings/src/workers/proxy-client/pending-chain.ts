// A dependent chain recorded in the user's isolate (user-facades/service.ts), replayed on the
// session's capnweb stub: capnweb sends a call made on the promise of another call at once, as a
// pipelined call, so `getCounter()` and `increment()` leave in the same round trip. workerd's JS
// RPC cannot do that for us: it delivers a call pipelined on a JS method's promise only once
// that promise resolves, that is, once capnweb's answer is back. The chain is an RpcTarget that
// is returned at once, so the calls the facade pipelines on it (more steps, the value of a step)
// wait for local hops only.
import { RpcTarget } from "cloudflare:workers";
import { CHAIN_BINDING, type ChainStep } from "../../shared/chain-steps.js";
import { releasedIfData } from "./released-result.js";

/** What a step's result is here: a capnweb promise, or a plain Promise where capnweb cannot pipeline. */
type StepResult = unknown;

export interface ChainSession {
  /** The session's capnweb main stub; throws when the session is lost or failed to open. */
  main(): unknown;
  /** Awaits a capnweb promise of this session, failing as the session's calls do when it is lost. */
  settle(result: unknown): Promise<unknown>;
}

// capnweb refuses streams in the parameters of a call queued on a promise ("owned payload
// shouldn't contain raw ReadableStreams"): such a call waits for its receiver instead.
function carriesStream(value: unknown, depth = 0): boolean {
  if (value instanceof ReadableStream || value instanceof WritableStream) return true;
  if (depth > 3 || typeof value !== "object" || value === null) return false;
  const values = Array.isArray(value) ? value : Object.values(value);
  return values.some((inner) => carriesStream(inner, depth + 1));
}

const isPromise = (value: unknown): value is Promise<unknown> => value instanceof Promise;

/** A session that failed to open: every step of a chain on it fails with the reason. */
export function failedSession(error: unknown): ChainSession {
  return {
    main() {
      throw error;
    },
    settle: () => Promise.reject(error),
  };
}

export class PendingChain extends RpcTarget {
  readonly #session: ChainSession;
  readonly #steps: ChainStep[] = [];
  readonly #results: StepResult[] = [];
  readonly #settled = new Map<number, Promise<unknown>>();
  // Steps whose value went to the caller: from then on the caller owns it (a stub in it is
  // disposed when the caller's stub is), so the end of the chain leaves it alone.
  readonly #handedOut = new Set<number>();

  constructor(session: ChainSession) {
    super();
    this.#session = session;
  }

  /** Replays steps, numbered on from those already replayed. */
  extend(steps: ChainStep[]): void {
    const first = this.#steps.length;
    for (const step of steps) {
      let result: StepResult;
      try {
        result = this.#replay(step);
      } catch (error) {
        // No session (it failed to open, or was lost): the step fails when awaited, not here.
        result = Promise.reject(error);
      }
      if (isPromise(result)) result.catch(() => {});
      this.#steps.push(step);
      this.#results.push(result);
    }
    // The last calls of a chain are what the caller awaits: ask capnweb for their answers now,
    // with the calls, rather than when value() gets here a few local hops later (capnweb sends
    // an answer only once it is asked for).
    for (let index = first; index < this.#steps.length; index++) {
      const step = this.#steps[index]!;
      if ("call" in step && !this.#steps.some((later) => later.on === index)) this.#settle(index);
    }
  }

  /** The value of step `index` (a stub when the remote answered one). */
  async value(index: number): Promise<unknown> {
    this.#handedOut.add(index);
    return releasedIfData(await this.#settle(index));
  }

  /** The caller disposed step `index`: as for a local RPC promise, its result goes with it. */
  release(index: number): void {
    dispose(this.#results[index]);
  }

  [Symbol.dispose](): void {
    this.#results.forEach((result, index) => {
      if (!this.#handedOut.has(index)) dispose(result);
    });
  }

  #settle(index: number): Promise<unknown> {
    let settled = this.#settled.get(index);
    if (settled === undefined) {
      settled = this.#session.settle(this.#results[index]);
      settled.catch(() => {});
      this.#settled.set(index, settled);
    }
    return settled;
  }

  #replay(step: ChainStep): StepResult {
    const on = step.on === CHAIN_BINDING ? this.#session.main() : this.#results[step.on];
    if ("get" in step) {
      return isPromise(on)
        ? on.then((receiver) => (receiver as Record<string, unknown>)[step.get])
        : (on as Record<string, unknown>)[step.get];
    }
    if (isPromise(on) || carriesStream(step.call)) return this.#callSettled(step.on, step.call);
    return (on as (...args: unknown[]) => unknown)(...step.call);
  }

  // A call whose receiver must be awaited first. A method is called on its object, so that
  // capnweb sends it as one call on the object's stub.
  async #callSettled(on: number, args: unknown[]): Promise<unknown> {
    const parent = this.#steps[on];
    if (parent !== undefined && "get" in parent) {
      const receiver = (
        parent.on === CHAIN_BINDING ? this.#session.main() : await this.#settle(parent.on)
      ) as Record<string, (...args: unknown[]) => unknown>;
      return await receiver[parent.get]!(...args);
    }
    const callee = (await this.#settle(on)) as (...args: unknown[]) => unknown;
    return await callee(...args);
  }
}

function dispose(result: StepResult): void {
  if (isPromise(result)) {
    void result.then(dispose, () => {});
    return;
  }
  const disposer = (result as { [Symbol.dispose]?: () => void } | null | undefined)?.[
    Symbol.dispose
  ];
  if (typeof disposer === "function") {
    try {
      disposer.call(result);
    } catch {
      // Already disposed, or the session is gone.
    }
  }
}
