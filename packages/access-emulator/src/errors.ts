import { AccessBridgeError } from "@access-bridge/conventions";

export const ACCESS_EMULATOR_ERROR_CODES = [
  /** An option of startAccessEmulator() is invalid; the message names the option path. */
  "ERR_INVALID_OPTION",
  /** An argument of a method of the running emulator is invalid. */
  "ERR_INVALID_ARGUMENT",
  /** The port asked for is taken. */
  "ERR_PORT_IN_USE",
  /** The emulator's workerd did not start. */
  "ERR_START_FAILED",
  /** A method was called after dispose(). */
  "ERR_DISPOSED",
  /** A service token this emulator did not issue. */
  "ERR_UNKNOWN_SERVICE_TOKEN",
  /** An Access for SaaS (OIDC) method was called, and no OIDC application is configured. */
  "ERR_NO_OIDC_APPLICATION",
] as const;

export type AccessEmulatorErrorCode = (typeof ACCESS_EMULATOR_ERROR_CODES)[number];

/**
 * The one error type of this package, on the base class every package shares
 * (@access-bridge/conventions): match on `code`, not on the wording.
 */
export class AccessEmulatorError extends AccessBridgeError<AccessEmulatorErrorCode> {
  override readonly name = "AccessEmulatorError";
}
