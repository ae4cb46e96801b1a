export { login, chooseTransport } from "./login.js";
export type { LoginOptions, LoginPrompt, LoginResult, LoginTransport } from "./login.js";
export { accessTokenSource, getAccessToken, logout, whoami } from "./session.js";
export type { AccessTokenSource, LogoutResult, SessionOptions, WhoAmI } from "./session.js";
export { discoverProtectedResource, parseRemote } from "./remote-discovery.js";
export type { ProtectedResource } from "./remote-discovery.js";
export { TokenStore, configDir, defaultStoreDir, loginKey } from "./token-store.js";
export type { StoredLogin, TokenStoreOptions } from "./token-store.js";
export {
  AccessTokenStore,
  accessTokenDir,
  describeSkipped,
  jwtExpiry,
} from "./access-token-store.js";
export type { StoredAccessToken } from "./access-token-store.js";
export type { UnusableFile } from "./private-json-store.js";
export type { TokenSet } from "./token-endpoint.js";
export { AUTH_RELAY_ERROR_CODES, AuthRelayError } from "./errors.js";
export type { AuthRelayErrorCode } from "./errors.js";
export { discoverAuthorizationServer } from "./discovery.js";
export type { AuthorizationServerMetadata } from "./discovery.js";
export { codeChallengeS256, createCodeVerifier, createState, statesMatch } from "./pkce.js";
export { headlessReasons } from "./headless.js";
export { RELAY_WORKER_SCRIPT_PATH } from "./relay-worker.js";
export { parseRelayUrl } from "./transports/relay-receiver.js";
export * from "./relay-protocol.js";
export { loginWithCloudflared } from "./cloudflared-login.js";
export type { CloudflaredLoginOptions } from "./cloudflared-login.js";
