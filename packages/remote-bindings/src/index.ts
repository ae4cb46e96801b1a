// The package's public API, all of it Node-side (README "API"). What runs in workerd is in
// workers/ (reached as bundles: the `*ScriptPath` exports and the package's `./user-facades` and
// `./proxy-server` subpaths); shared/ holds what both sides read; node/ the rest of the Node side.
export { remoteBindings } from "./node/remote-bindings.js";
export type { RemoteBindings, RemoteBindingsOptions } from "./node/remote-bindings.js";
export type { WarningHandler } from "./node/client-reporter.js";
export type { ProxyClientReport } from "./shared/wire-protocol.js";

export { planRemoteBindings } from "./node/remote-binding-plan.js";
export type {
  PlanOptions,
  ProxyClientWorker,
  RemoteBindingOptions,
  RemoteBindingPlan,
  RemoteServiceBinding,
} from "./node/remote-binding-plan.js";
export { PROXY_SERVER_URL_HINT, proxyServerUrl } from "./node/proxy-server-url.js";
export { FACADE_TYPES, REMOTE_BINDING_TYPES, WRANGLER_SECTIONS } from "./shared/binding-types.js";
export type {
  ClientBehaviour,
  RemoteBindingType,
  WranglerSectionSupport,
} from "./shared/binding-types.js";
export { facadeInstallerSource, hasDefaultExport, userEntrySource } from "./node/user-entry.js";
export { WORKERS_COMPATIBILITY_DATE } from "./node/compatibility-date.js";
export { DEFAULT_CALL_BOUNDS } from "./shared/call-bounds.js";
export type { CallBounds } from "./shared/call-bounds.js";

export {
  credentialsForUrl,
  resolveAccessCredentials,
  validateCredentials,
} from "./node/resolve-credentials.js";
export type {
  AccessCredentialsByHost,
  ResolveAccessCredentialsOptions,
} from "./node/resolve-credentials.js";
export {
  accessRequestHeaders,
  clientIdHint,
  describeCredentials,
  halfSetServiceToken,
  sentCredential,
} from "./shared/credentials.js";
export type { AccessCredentials, SentCredential } from "./shared/credentials.js";

export { isAccessBlock, isForwardedAnswer } from "./shared/access-block.js";
export type { AnswerToClassify } from "./shared/access-block.js";
export {
  ACCESS_CREDENTIAL_SOURCES,
  accessBlockAdvice,
  accessCredentialSource,
  doctorAdvice,
  halfSetTokenAdvice,
  loginAccessCommand,
  loginRemoteCommand,
  signInAdvice,
} from "./shared/advice.js";
export type {
  AccessBlock,
  AccessCredentialSource,
  BearerSource,
  DoctorProblem,
  SignInProblem,
} from "./shared/advice.js";
export { bearerRefusal, loginRemote } from "./shared/bearer-refusal.js";
export { tokenSourceBinding } from "./node/bearer-token-source.js";
export type { BearerToken, BearerTokenSource } from "./node/bearer-token-source.js";
export { startTokenBroker } from "./node/token-broker.js";
export type { TokenBroker } from "./node/token-broker.js";
export {
  ACCESS_HEADERS,
  CREDENTIAL_SOURCE_BINDING,
  TOKEN_BROKER_BINDINGS,
  TOKEN_SOURCE_BINDING,
  WIRE,
} from "./shared/wire-protocol.js";

export { ERROR_CODES, RemoteBindingsError, remoteBindingsErrorCode } from "./shared/errors.js";
export type { RemoteBindingsErrorCode } from "./shared/errors.js";

export {
  PROXY_CLIENT_BUNDLE as proxyClientScriptPath,
  PROXY_SERVER_BUNDLE as proxyServerScriptPath,
  PROXY_SERVER_OAUTH_BUNDLE as proxyServerOAuthScriptPath,
  USER_FACADES_BUNDLE as userFacadesScriptPath,
} from "./node/worker-bundles.js";
export { proxyServerWorker } from "./node/proxy-server-worker.js";

// The wrangler configs of `access-bridge dev` and the Vite plugin (written to disk by
// @access-bridge/dev-session).
export {
  carriedBindings,
  carriedBindingsByEnvironment,
  CREDENTIAL_SOURCES,
  defaultProxyServerName,
  PROXY_CLIENT_SECRET_VARS,
  PROXY_CLIENT_WORKER_NAME,
  proxyClientDotEnv,
  proxyClientWranglerConfig,
  proxyServerWranglerConfig,
  rewriteWranglerConfig,
} from "./node/wrangler-config/index.js";
export type {
  CarriedBinding,
  GeneratedModule,
  ProxyServerConfig,
  ProxyServerConfigOptions,
  RawSection,
  RewriteOptions,
  RewrittenConfigs,
  SectionSummary,
} from "./node/wrangler-config/index.js";
