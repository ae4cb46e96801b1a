export { accessBridge, type CloudflarePlugin } from "./access-bridge.js";
export { type AccessBridgeOptions } from "./dev-session.js";
export { PROXY_CLIENT_WORKER_NAME } from "./proxy-client-worker.js";
export { AccessBridgeViteError, ERROR_CODES, type AccessBridgeViteErrorCode } from "./errors.js";
