// One error type for the plugin, with a `code` to match on, on the base class every package
// shares (@access-bridge/conventions): the code leads the message, `detail` is the message without it.
import { AccessBridgeError } from "@access-bridge/conventions";

export const ERROR_CODES = [
  /** An argument of accessBridge() is invalid; the message names it. */
  "ERR_INVALID_OPTION",
  /** The Cloudflare plugin's options or the Worker's config use something this plugin cannot carry. */
  "ERR_UNSUPPORTED_CONFIG",
  /** The environment would leak the proxy client's credentials, or keep them from it. */
  "ERR_UNSAFE_ENVIRONMENT",
  /** The embedded remote (used when no remote URL is set) did not start. */
  "ERR_EMBEDDED_REMOTE",
] as const;

export type AccessBridgeViteErrorCode = (typeof ERROR_CODES)[number];

export class AccessBridgeViteError extends AccessBridgeError<AccessBridgeViteErrorCode> {
  override readonly name = "AccessBridgeViteError";
}
