export { remoteBindings } from "./remote-bindings.js";
export type {
  RemoteBindingOptions,
  RemoteBindings,
  RemoteBindingsOptions,
} from "./remote-bindings.js";
export {
  credentialsForUrl,
  describeCredentials,
  resolveAccessCredentials,
} from "./resolve-credentials.js";
export type {
  AccessCredentials,
  AccessCredentialsByHost,
  ResolveAccessCredentialsOptions,
} from "./resolve-credentials.js";
export { ERROR_CODES, RemoteBindingsError, remoteBindingsErrorCode } from "./errors.js";
export type { RemoteBindingsErrorCode } from "./errors.js";
export type { WarningHandler } from "./client-reporter.js";
export type { ProxyClientReport } from "./wire-protocol.js";
export { PROXY_CLIENT_BUNDLE as proxyClientScriptPath } from "./worker-bundles.js";
export { PROXY_SERVER_BUNDLE as proxyServerScriptPath } from "./worker-bundles.js";
export { proxyServerWorker } from "./proxy-server-worker.js";
