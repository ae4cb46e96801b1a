import { AccessBridgeError } from "@access-bridge/conventions";

/** Every failure of a dev session, one code each; the tool that runs the session reports it. */
export const DEV_SESSION_ERROR_CODES = [
  /** The remote's URL (a flag, an option or ACCESS_BRIDGE_REMOTE_URL) is not an http(s) URL. */
  "ERR_REMOTE_URL",
  /** Half a service token in the environment. */
  "ERR_CREDENTIALS",
  /** `access-bridge.jsonc` (the embedded remote's stand-ins) is invalid or does not build. */
  "ERR_STAND_INS",
  /** The embedded remote did not start. */
  "ERR_START",
  /** No wrangler config where the session looked, or none at the path given. */
  "ERR_CONFIG_NOT_FOUND",
  /** wrangler could not read the config, or rejected it (its message says where and why). */
  "ERR_CONFIG",
  /** wrangler is not installed where the project can find it, or is not a supported major. */
  "ERR_WRANGLER_NOT_FOUND",
] as const;

export type DevSessionErrorCode = (typeof DEV_SESSION_ERROR_CODES)[number];

/**
 * An error the developer can act on: `detail` says what happened, why and what to do, and names
 * no secret. The CLI prints `detail` without a stack; the Vite plugin passes it on.
 */
export class DevSessionError extends AccessBridgeError<DevSessionErrorCode> {
  override readonly name = "DevSessionError";
}
