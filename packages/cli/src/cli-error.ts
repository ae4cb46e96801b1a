import { AccessBridgeError } from "@access-bridge/conventions";

/** Every failure the command line reports, one code each (ERR_SCREAMING_SNAKE, a closed set). */
export const CLI_ERROR_CODES = [
  /** A mistake in the command line; exits 2 with the command's help. */
  "ERR_USAGE",
  /** The environment would make wrangler hand the Access credentials to the user's Worker. */
  "ERR_UNSAFE_ENVIRONMENT",
  /** `access-bridge remote` did not start. */
  "ERR_START",
  /** A call to Cloudflare's API failed; the message names the permission, object or plan feature. */
  "ERR_CLOUDFLARE_API",
  /** `access-bridge deploy` is missing what it needs (an API token, an account id) or wrangler failed. */
  "ERR_DEPLOY",
] as const;

export type CliErrorCode = (typeof CLI_ERROR_CODES)[number];

/**
 * An error the person at the terminal can act on: `detail` says what happened, why and what to
 * do. `main` prints it without a stack and exits with `exitCode`.
 */
export class CliError extends AccessBridgeError<CliErrorCode> {
  override readonly name = "CliError";

  constructor(
    code: CliErrorCode,
    detail: string,
    readonly exitCode = 1,
    options?: { cause?: unknown },
  ) {
    super(code, detail, options);
  }
}
