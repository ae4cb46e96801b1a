// One error type for this package, with a `code` to match on.

export const ERROR_CODES = [
  /** An option of getPlatformProxy() is invalid, or a setting it needs is missing. */
  "ERR_INVALID_OPTION",
  /** The proxy client's wrangler dev did not start. */
  "ERR_PROXY_CLIENT",
  /** This Node cannot load the hooks `access-bridge run` puts into the framework's process. */
  "ERR_NODE_VERSION",
] as const;

export type PlatformProxyErrorCode = (typeof ERROR_CODES)[number];

export class PlatformProxyError extends Error {
  override readonly name = "PlatformProxyError";

  constructor(
    readonly code: PlatformProxyErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`[${code}] ${message}`, options);
  }
}
