// One error type for every failure of this package, with a `code` to match on, on the base class
// every package shares (@access-bridge/conventions). Used on both sides: workerd keeps only an
// error's message when it crosses a service binding, so the code also leads the message
// (`[ERR_ACCESS_NO_CREDENTIALS] …`) for callers on the far side of that boundary.
import { AccessBridgeError, errorCode } from "@access-bridge/conventions";

export const ERROR_CODES = [
  /** An option passed to the Node API is invalid; the message names the option path. */
  "ERR_INVALID_OPTION",
  /** A remote binding's type cannot be carried (e.g. Hyperdrive); the message says why. */
  "ERR_UNSUPPORTED_BINDING",
  /** Access blocked a call and no credentials were sent. */
  "ERR_ACCESS_NO_CREDENTIALS",
  /** Access blocked a call although credentials were sent. */
  "ERR_ACCESS_CREDENTIALS_REJECTED",
  /** The proxy server is in OAuth mode and no access token was sent (no token source). */
  "ERR_SIGN_IN_REQUIRED",
  /** The proxy server in OAuth mode refused the access token, also after asking for a fresh one. */
  "ERR_TOKEN_REJECTED",
  /** The token source could not give an access token (a failed refresh, no stored login). */
  "ERR_TOKEN_REFRESH_FAILED",
  /** The proxy server refused the WebSocket upgrade for a reason other than Access. */
  "ERR_UPGRADE_FAILED",
  /** The remote could not be reached, or the connection to it broke during a call. */
  "ERR_REMOTE_UNREACHABLE",
  /** A method the binding's type does not carry (the message names the method and why). */
  "ERR_METHOD_NOT_CARRIED",
] as const;

export type RemoteBindingsErrorCode = (typeof ERROR_CODES)[number];

export class RemoteBindingsError extends AccessBridgeError<RemoteBindingsErrorCode> {
  override readonly name = "RemoteBindingsError";
  /** Already told to the developer (a report, a warning): whoever catches it need not again. */
  readonly reported: boolean;

  constructor(
    code: RemoteBindingsErrorCode,
    message: string,
    options: { cause?: unknown; reported?: boolean } = {},
  ) {
    const { reported = false, ...errorOptions } = options;
    super(code, message, errorOptions);
    this.reported = reported;
  }
}

/** Reads the code back from an error that crossed a boundary and kept only its message. */
export function remoteBindingsErrorCode(error: unknown): RemoteBindingsErrorCode | undefined {
  const code = errorCode(error) as RemoteBindingsErrorCode | undefined;
  return code !== undefined && ERROR_CODES.includes(code) ? code : undefined;
}
