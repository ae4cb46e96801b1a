export type AccessEmulatorErrorCode =
  | "ERR_INVALID_OPTION"
  | "ERR_INVALID_ARGUMENT"
  | "ERR_PORT_IN_USE"
  | "ERR_START_FAILED"
  | "ERR_DISPOSED"
  | "ERR_UNKNOWN_SERVICE_TOKEN"
  | "ERR_NO_OIDC_APPLICATION";

/** The one error type of this package: match on `code`, not on the wording. */
export class AccessEmulatorError extends Error {
  override readonly name = "AccessEmulatorError";

  constructor(
    readonly code: AccessEmulatorErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
