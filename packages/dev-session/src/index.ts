import type * as BundleStandInModule from "./embedded-remote/bundle-stand-in.js";
import type * as EmbeddedRemoteModule from "./embedded-remote/start-embedded-remote.js";

export {
  DEV_SESSION_ERROR_CODES,
  DevSessionError,
  type DevSessionErrorCode,
} from "./dev-session-error.js";
export { REMOTE_URL_VARIABLE, resolveRemoteUrl, type GivenRemoteUrl } from "./remote-url.js";
export {
  findProjectWrangler,
  SUPPORTED_WRANGLER_MAJOR,
  type ProjectWrangler,
  type WranglerModule,
} from "./project-wrangler.js";
export { rememberedDefaultExport } from "./entry-exports.js";
export { readUserConfig, type UserConfig, type UserConfigQuery } from "./user-config.js";
export { resolveProject, type Project, type ProjectQuery } from "./resolve-project.js";
export {
  openSessionRemote,
  type OpenedSessionRemote,
  type SessionRemote,
} from "./session-remote.js";
export {
  resolveCredentialsByHost,
  resolveSessionCredentials,
  type CredentialSource,
  type SessionCredentials,
  type WarningHandler,
} from "./credentials/session-credentials.js";
export { storedSignIn, type StoredSignIn } from "./credentials/stored-sign-in.js";
export { brokerVariables, startSignInBroker } from "./credentials/sign-in-broker.js";
export { describeExpiry } from "./credentials/describe-expiry.js";
export {
  credentialVariables,
  environmentProblem,
  wranglerEnvironment,
} from "./wrangler-environment.js";
export {
  GENERATED_DIR,
  generatedDir,
  ignoreInGit,
  writeIfChanged,
  type GeneratedSubfolder,
} from "./generated-files.js";
export { PROXY_CLIENT_WORKER_NAME, writeProxyClientFiles } from "./proxy-client-files.js";
export { newProxyClientWorkerName, sessionProxyClientWorkerName } from "./proxy-client-name.js";
export {
  devVarsFileNames,
  writeWranglerConfigs,
  type WrittenConfigs,
} from "./write-wrangler-configs.js";
export { STAND_INS_FILE } from "./embedded-remote/stand-ins-file.js";
export { withoutSignalListeners } from "./embedded-remote/signal-listeners.js";
export type { EmbeddedRemoteBinding } from "./embedded-remote/stand-ins.js";
export type { EmbeddedRemote } from "./embedded-remote/start-embedded-remote.js";
export {
  EMBEDDED_REMOTE_STATE_DIR,
  type EmbeddedRemoteState,
} from "./embedded-remote/state-dir.js";
export { describeEmbeddedRemoteState } from "./embedded-remote/describe-state.js";
export type { AppliedMigrations } from "./embedded-remote/d1-migrations.js";

/**
 * The embedded remote (embedded-remote/start-embedded-remote.ts). Its module is loaded on the
 * first call: it brings in Miniflare and esbuild, which take seconds to import and which a
 * session with a deployed remote never needs.
 */
export async function startEmbeddedRemote(
  ...args: Parameters<typeof EmbeddedRemoteModule.startEmbeddedRemote>
): ReturnType<typeof EmbeddedRemoteModule.startEmbeddedRemote> {
  const module = await import("./embedded-remote/start-embedded-remote.js");
  return module.startEmbeddedRemote(...args);
}

/** A stand-in service's entry as one ES module for workerd (loaded on first call: esbuild). */
export async function bundleStandIn(
  ...args: Parameters<typeof BundleStandInModule.bundleStandIn>
): ReturnType<typeof BundleStandInModule.bundleStandIn> {
  const module = await import("./embedded-remote/bundle-stand-in.js");
  return module.bundleStandIn(...args);
}
