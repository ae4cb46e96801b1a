// The one error base class of every access-bridge package: a `code` to match on (never the
// wording, never the class name), an optional `cause`, and the code leading the message
// (`[ERR_ACCESS_NO_CREDENTIALS] …`), because workerd keeps only the message of an error that
// crosses a service binding. Each package subclasses it with its own closed set of codes. Plain
// TypeScript: used in Node and in workerd alike.

/** `[ERR_…] ` in a message: at its start, or after what a boundary put before it. */
const CODE_PREFIX = /\[(ERR_[A-Z0-9_]+)\] /;

export class AccessBridgeError<Code extends string = string> extends Error {
  override readonly name: string = "AccessBridgeError";
  readonly code: Code;
  /** The message without its code: what a terminal line shows, where the code means nothing. */
  readonly detail: string;

  constructor(code: Code, detail: string, options?: { cause?: unknown }) {
    super(`[${code}] ${detail}`, options);
    this.code = code;
    this.detail = detail;
  }
}

/**
 * The code of an error, also of one that crossed a boundary which kept only its message (a
 * service binding, a process), read back from the message; undefined when it has none.
 */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof AccessBridgeError) return error.code;
  const message = error instanceof Error ? error.message : String(error);
  return CODE_PREFIX.exec(message)?.[1];
}

/**
 * What a person reads of an error: an access-bridge error's `detail` (its message without the
 * code), the message of any other error. For wrapping one error's words into another's, so that
 * a code is never repeated inside a message.
 */
export function errorDetail(error: unknown): string {
  if (error instanceof AccessBridgeError) return error.detail;
  return error instanceof Error ? error.message : String(error);
}
