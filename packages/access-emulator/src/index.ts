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
export { AccessEmulatorError, type AccessEmulatorErrorCode } from "./errors.js";
