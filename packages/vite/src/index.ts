export { accessBridge, type CloudflarePlugin } from "./access-bridge.js";
export { PROXY_CLIENT_WORKER_NAME, type AccessBridgeOptions } from "./dev-session.js";
export { AccessBridgeViteError, ERROR_CODES, type AccessBridgeViteErrorCode } from "./errors.js";
