export {
  carriedFor,
  findProjectWrangler,
  getPlatformProxy,
  newClientWorkerName,
} from "./get-platform-proxy.js";
export type { GetPlatformProxyOptions, PlatformProxy } from "./get-platform-proxy.js";
export { attachedSession, encodeSession, SESSION_VARIABLE } from "./attached-session.js";
export type { AttachedSession } from "./attached-session.js";
export { ERROR_CODES, PlatformProxyError } from "./errors.js";
export type { PlatformProxyErrorCode } from "./errors.js";
export { findUserConfig, platformOutDir, writePlatformConfig } from "./platform-config.js";
export type { PlatformConfig } from "./platform-config.js";
export { proxyClientEnvironment, startProxyClientProcess } from "./proxy-client-process.js";
export type { ProxyClientProcess } from "./proxy-client-process.js";
export type { ProjectWrangler } from "./project-wrangler.js";
