// What an RPC call answers, handed on without a disposer when it is plain data. capnweb gives
// every object a call resolves to a disposer, and workerd gives one to every object a JS RPC call
// returns; workerd then hands the next caller a result it must dispose whenever the object it
// returns carries one ("An RPC result was not disposed properly" when that result is collected).
// A local binding that returns the same data hands over none, so code that rightly never
// disposes a D1 row or a plain object warned only through the proxy client. A result that holds
// nothing to release (no stub, no stream) is released here, and its disposer removed; one that
// does keeps it, and the caller disposes it as it would a local one.

const DATA_CLASSES = [ArrayBuffer, Date, RegExp];

function holdsOnlyData(value: unknown, seen: Set<object>): boolean {
  if (typeof value === "function") return false;
  if (typeof value !== "object" || value === null || seen.has(value)) return true;
  seen.add(value);
  if (ArrayBuffer.isView(value) || DATA_CLASSES.some((data) => value instanceof data)) return true;
  if (Array.isArray(value)) return value.every((item) => holdsOnlyData(item, seen));
  if (value instanceof Map) {
    return [...value].every(([key, item]) => holdsOnlyData(key, seen) && holdsOnlyData(item, seen));
  }
  if (value instanceof Set) return [...value].every((item) => holdsOnlyData(item, seen));
  // Stubs, RPC targets, streams, Requests and Responses are instances of other classes.
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.values(value).every((item) => holdsOnlyData(item, seen));
}

/** `value`, released and without its disposer when it is plain data; otherwise as it came. */
export function releasedIfData<T>(value: T): T {
  if (typeof value !== "object" || value === null || !holdsOnlyData(value, new Set())) {
    return value;
  }
  const holder = value as { [Symbol.dispose]?: unknown };
  const dispose = holder[Symbol.dispose];
  if (typeof dispose === "function") {
    try {
      (dispose as () => void).call(value);
    } catch {
      // The session is gone: there is nothing left to release.
    }
    delete holder[Symbol.dispose];
  }
  return value;
}
