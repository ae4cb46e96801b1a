// One error type for this package, with a `code` to match on, on the base class every package
// shares (@access-bridge/conventions): the code leads the message, `detail` is the message without it.
import { AccessBridgeError } from "@access-bridge/conventions";

export const ERROR_CODES = [
  /** An option of getPlatformProxy() is invalid, or a setting it needs is missing. */
  "ERR_INVALID_OPTION",
  /** The proxy client's wrangler dev did not start. */
  "ERR_PROXY_CLIENT",
  /** This Node cannot load the hooks `access-bridge run` puts into the framework's process. */
  "ERR_NODE_VERSION",
] as const;

export type PlatformProxyErrorCode = (typeof ERROR_CODES)[number];

export class PlatformProxyError extends AccessBridgeError<PlatformProxyErrorCode> {
  override readonly name = "PlatformProxyError";
}
