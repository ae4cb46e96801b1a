export { accessBridge, type CloudflarePlugin } from "./access-bridge.js";
export { type AccessBridgeOptions } from "./dev-session.js";
export { AccessBridgeViteError, ERROR_CODES, type AccessBridgeViteErrorCode } from "./errors.js";
