export { carriedFor, getPlatformProxy } from "./get-platform-proxy.js";
export type { GetPlatformProxyOptions, PlatformProxy } from "./get-platform-proxy.js";
export { attachedSession, encodeSession, SESSION_VARIABLE } from "./attached-session.js";
export type { AttachedSession } from "./attached-session.js";
export { ERROR_CODES, PlatformProxyError } from "./errors.js";
export type { PlatformProxyErrorCode } from "./errors.js";
export { platformOutDir, writePlatformConfig } from "./platform-config.js";
export type { PlatformConfig } from "./platform-config.js";
export { proxyClientEnvironment, startProxyClientProcess } from "./proxy-client-process.js";
export type { ProxyClientProcess } from "./proxy-client-process.js";
export {
  assertNodeCanRegisterHooks,
  nodeHasRegisterHooks,
  REGISTER_HOOKS_NODE_RANGE,
} from "./node-floor.js";
