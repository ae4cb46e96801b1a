export type CliErrorCode =
  | "ERR_USAGE"
  | "ERR_CONFIG_NOT_FOUND"
  | "ERR_CONFIG_SYNTAX"
  | "ERR_CONFIG_INVALID"
  | "ERR_UNKNOWN_BINDING_TYPE"
  | "ERR_REMOTE_URL"
  | "ERR_PORT_IN_USE"
  | "ERR_CREDENTIALS"
  | "ERR_BUNDLE"
  | "ERR_START";

/**
 * An error the person at the terminal can act on: the message says what happened, why and what
 * to do. `main` prints it without a stack and exits with `exitCode`.
 */
export class CliError extends Error {
  override readonly name = "CliError";

  constructor(
    readonly code: CliErrorCode,
    message: string,
    readonly exitCode = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
