// One error type for the plugin, with a `code` to match on.

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

export class AccessBridgeViteError extends Error {
  override readonly name = "AccessBridgeViteError";

  constructor(
    readonly code: AccessBridgeViteErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`[${code}] ${message}`, options);
  }
}
