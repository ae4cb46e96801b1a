// Turns what a storage API answered into JSON that says what the caller got: the class of each
// value (ArrayBuffer, Uint8Array, Map, Date, stream) as well as its content, so that a facade
// answering a Uint8Array where KV answers an ArrayBuffer shows up as a difference.

const decoder = new TextDecoder();

export function hex(bytes: ArrayBuffer | Uint8Array): string {
  return [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

export function describe(value: unknown): unknown {
  if (value === undefined) return "<undefined>";
  if (value === null || typeof value !== "object") return value;
  if (value instanceof ArrayBuffer) return { ArrayBuffer: decoder.decode(value) };
  if (value instanceof Uint8Array) return { Uint8Array: decoder.decode(value) };
  if (value instanceof ReadableStream) return { ReadableStream: "unread" };
  if (value instanceof Date) return { Date: value.toISOString() };
  if (value instanceof Map) {
    return { Map: [...value].map(([key, entry]) => [describe(key), describe(entry)]) };
  }
  if (Array.isArray(value)) return value.map(describe);
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype !== Object.prototype && prototype !== null) {
    return { [prototype.constructor.name]: "instance" };
  }
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, entry]) => [key, describe(entry)]),
  );
}

/** A stream's text, tagged so that a value that is not a stream shows up as one. */
export async function streamText(value: unknown): Promise<unknown> {
  if (!(value instanceof ReadableStream)) return { notAStream: describe(value) };
  return { ReadableStream: await new Response(value).text() };
}

/** How a call ended: resolved, rejected, or thrown before it returned a promise. */
export async function outcome(call: () => unknown): Promise<Record<string, unknown>> {
  let returned: unknown;
  try {
    returned = call();
  } catch (error) {
    return { threw: errorName(error), message: errorMessage(error) };
  }
  try {
    return { resolved: describe(await returned) };
  } catch (error) {
    return { rejected: errorName(error), message: errorMessage(error) };
  }
}

const errorName = (error: unknown) => (error instanceof Error ? error.name : typeof error);
const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const text = (bytes: ArrayBuffer | Uint8Array) => decoder.decode(bytes);
