// The call bounds as the proxy client reads them from its text binding (see ../../shared/call-bounds.ts).
import type { CallBounds } from "../../shared/call-bounds.js";
import { CALL_BOUNDS_BINDING, DEFAULT_CALL_BOUNDS, isBound } from "../../shared/call-bounds.js";

export type { CallBounds } from "../../shared/call-bounds.js";
export { formatBound } from "../../shared/call-bounds.js";

// Read on every binding call; the binding's text is fixed for the isolate's life, so it is parsed
// once.
let parsedFrom: string | undefined;
let parsedBounds: CallBounds = DEFAULT_CALL_BOUNDS;

/** The bounds set on the proxy-client Worker, each one falling back to its default. */
export function callBounds(env: object): CallBounds {
  const text = (env as Record<string, unknown>)[CALL_BOUNDS_BINDING];
  if (typeof text !== "string") return DEFAULT_CALL_BOUNDS;
  if (text !== parsedFrom) {
    parsedBounds = parseBounds(text);
    parsedFrom = text;
  }
  return parsedBounds;
}

function parseBounds(text: string): CallBounds {
  let parsed: Partial<Record<keyof CallBounds, unknown>> = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // Set by the Node side, which validates it; a broken value keeps the defaults.
  }
  const bounds = { ...DEFAULT_CALL_BOUNDS };
  for (const key of Object.keys(bounds) as (keyof CallBounds)[]) {
    const value = parsed?.[key];
    if (isBound(value)) bounds[key] = value;
  }
  return bounds;
}
