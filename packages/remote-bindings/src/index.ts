export { remoteBindings } from "./remote-bindings.js";
export type { RemoteBindings, RemoteBindingsOptions } from "./remote-bindings.js";
export { planRemoteBindings } from "./remote-binding-plan.js";
export { PROXY_SERVER_URL_HINT, proxyServerUrl } from "./proxy-server-url.js";
export type {
  PlanOptions,
  ProxyClientWorker,
  RemoteBindingOptions,
  RemoteBindingPlan,
  RemoteServiceBinding,
} from "./remote-binding-plan.js";
export {
  FACADE_TYPES,
  isRemoteBindingType,
  REMOTE_BINDING_TYPES,
  WRANGLER_SECTIONS,
} from "./binding-types.js";
export type {
  ClientBehaviour,
  RemoteBindingType,
  WranglerSectionSupport,
} from "./binding-types.js";
export { facadeInstallerSource, hasDefaultExport, userEntrySource } from "./user-entry.js";
export { WORKERS_COMPATIBILITY_DATE } from "./compatibility-date.js";
export {
  credentialsForUrl,
  resolveAccessCredentials,
  validateCredentials,
} from "./resolve-credentials.js";
export type {
  AccessCredentialsByHost,
  ResolveAccessCredentialsOptions,
} from "./resolve-credentials.js";
export {
  accessRequestHeaders,
  clientIdHint,
  describeCredentials,
  halfSetServiceToken,
} from "./credentials.js";
export type { AccessCredentials, SentCredential } from "./credentials.js";
export { isAccessBlock } from "./access-block.js";
export { bearerRefusal, loginRemote } from "./bearer-refusal.js";
export { tokenSourceBinding } from "./bearer-token-source.js";
export type { BearerToken, BearerTokenSource } from "./bearer-token-source.js";
export { startTokenBroker } from "./token-broker.js";
export type { TokenBroker } from "./token-broker.js";
export { DEFAULT_CALL_BOUNDS } from "./call-bounds.js";
export type { CallBounds } from "./call-bounds.js";
export type { AnswerToClassify } from "./access-block.js";
export { accessBlockGuidance } from "./access-guidance.js";
export type { AccessBlock } from "./access-guidance.js";
export { ERROR_CODES, RemoteBindingsError, remoteBindingsErrorCode } from "./errors.js";
export type { RemoteBindingsErrorCode } from "./errors.js";
export type { WarningHandler } from "./client-reporter.js";
export type { ProxyClientReport } from "./wire-protocol.js";
export { TOKEN_BROKER_BINDINGS, TOKEN_SOURCE_BINDING } from "./wire-protocol.js";
export {
  PROXY_CLIENT_BUNDLE as proxyClientScriptPath,
  PROXY_SERVER_BUNDLE as proxyServerScriptPath,
  PROXY_SERVER_OAUTH_BUNDLE as proxyServerOAuthScriptPath,
  USER_FACADES_BUNDLE as userFacadesScriptPath,
} from "./worker-bundles.js";
export { proxyServerWorker } from "./proxy-server-worker.js";
export * from "./wrangler-config/index.js";
