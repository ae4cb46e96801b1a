// One error type for every failure, with a `code` to match on. Used on both sides: workerd
// keeps only an error's message when it crosses a service binding, so the code also leads the
// message (`[ACCESS_NO_CREDENTIALS] …`) for callers on the far side of that boundary.

export const ERROR_CODES = [
  /** An option passed to the Node API is invalid; the message names the option path. */
  "INVALID_OPTION",
  /** Access blocked a call and no credentials were sent. */
  "ACCESS_NO_CREDENTIALS",
  /** Access blocked a call although credentials were sent. */
  "ACCESS_CREDENTIALS_REJECTED",
  /** The proxy server refused the WebSocket upgrade for a reason other than Access. */
  "UPGRADE_FAILED",
  /** `connect()` was called but the target address is unknown. */
  "CONNECT_ADDRESS_MISSING",
  /** An RPC method was called on a binding declared as fetch-only. */
  "NOT_AN_RPC_BINDING",
] as const;

export type RemoteBindingsErrorCode = (typeof ERROR_CODES)[number];

export class RemoteBindingsError extends Error {
  override readonly name = "RemoteBindingsError";

  constructor(
    readonly code: RemoteBindingsErrorCode,
    message: string,
  ) {
    super(`[${code}] ${message}`);
  }
}

/** Reads the code back from an error that crossed a boundary and kept only its message. */
export function remoteBindingsErrorCode(error: unknown): RemoteBindingsErrorCode | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const match = /\[([A-Z_]+)\]/.exec(message);
  const code = match?.[1] as RemoteBindingsErrorCode | undefined;
  return code !== undefined && ERROR_CODES.includes(code) ? code : undefined;
}
