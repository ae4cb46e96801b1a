export { startAccessEmulator, type AccessEmulator } from "./start-access-emulator.js";
export type {
  AccessApplicationOptions,
  AccessEmulatorOptions,
  AccessOrigin,
  ApplicationType,
} from "./options.js";
export type { AccessDecision } from "./decisions.js";
export type { CredentialKind, DecisionReason } from "./authority-protocol.js";
export type { ServiceToken } from "./service-tokens.js";
export type { UserTokenOptions } from "./app-tokens.js";
export {
  ACCESS_EMULATOR_ERROR_CODES,
  AccessEmulatorError,
  type AccessEmulatorErrorCode,
} from "./errors.js";
export type { OidcApplicationOptions, OidcScope } from "./oidc/oidc-options.js";
export type { AuthorizationFault, OidcApplication, TokenFault } from "./oidc/oidc-provider.js";
export type { OidcEvent } from "./oidc/oidc-context.js";
export type { IdTokenChange } from "./oidc/id-tokens.js";
export type { ClientAuthMethod } from "./oidc/client-authentication.js";
export type { OAuthErrorCode } from "./oidc/oauth-errors.js";
