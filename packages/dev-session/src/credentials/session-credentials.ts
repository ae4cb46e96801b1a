// What a dev session sends to its remote. Access credentials, first match wins: a service token
// (CLOUDFLARE_ACCESS_CLIENT_ID + CLOUDFLARE_ACCESS_CLIENT_SECRET), CLOUDFLARE_ACCESS_TOKEN, then
// the token `access-bridge login --access <host>` stored for the remote's host. Besides them, and
// never instead, the sign-in `access-bridge login --remote` stored for a proxy server in OAuth
// mode: it answers the proxy server's own OAuth layer, not Access (behind Access, an OAuth-mode
// proxy server needs both).
import {
  credentialsForUrl,
  halfSetServiceToken,
  halfSetTokenAdvice,
  loginAccessCommand,
  resolveAccessCredentials,
  type AccessCredentials,
  type AccessCredentialsByHost,
  type AccessCredentialSource,
} from "@access-bridge/remote-bindings";
import { DevSessionError } from "../dev-session-error.js";
import { storedSignIn, type StoredSignIn } from "./stored-sign-in.js";

export type WarningHandler = (message: string) => void;

const toStderr: WarningHandler = (message) => process.stderr.write(`▲ ${message}\n`);

/**
 * Where the Access credential came from: the environment (CLOUDFLARE_ACCESS_*), or the store of
 * `access-bridge login --access`, which only the tools that read it can send; `none` when
 * neither has one. The proxy client is told (as a text binding), so that its advice on an Access
 * block names the right fix.
 */
export type CredentialSource = Extract<
  AccessCredentialSource,
  "environment" | "login --access" | "none"
>;

/** What a session sends to one remote: an Access credential, and a sign-in for OAuth mode. */
export interface SessionCredentials {
  credentials: AccessCredentials | undefined;
  /** Where `credentials` came from: `none` when there are none. */
  source: CredentialSource;
  bearer?: StoredSignIn;
}

/** A per-host stored token is only consulted when the environment names no credential at all. */
function environmentNamesCredential(env: Record<string, string | undefined>): boolean {
  return Boolean(env.CLOUDFLARE_ACCESS_CLIENT_ID) || Boolean(env.CLOUDFLARE_ACCESS_TOKEN);
}

export async function resolveSessionCredentials(
  remoteUrl: URL,
  env: Record<string, string | undefined>,
  onWarning: WarningHandler = toStderr,
): Promise<SessionCredentials> {
  const credentials = credentialsForUrl(await resolveCredentialsByHost(env, onWarning), remoteUrl);
  const source: CredentialSource =
    credentials === undefined
      ? "none"
      : environmentNamesCredential(env)
        ? "environment"
        : "login --access";
  const bearer = await storedSignIn(remoteUrl, env, onWarning);
  return { credentials, source, ...(bearer === undefined ? {} : { bearer }) };
}

/**
 * The Access credentials for every host. Half a service token is a mistake worth stopping for:
 * running on without it would only fail later, with a 403.
 */
export async function resolveCredentialsByHost(
  env: Record<string, string | undefined>,
  onWarning: WarningHandler = toStderr,
): Promise<AccessCredentialsByHost> {
  const half = halfSetServiceToken(env);
  if (half !== undefined) {
    throw new DevSessionError("ERR_CREDENTIALS", halfSetTokenAdvice(half));
  }
  // A per-host entry overrides the environment in resolveAccessCredentials.
  return resolveAccessCredentials(env, {
    hosts: environmentNamesCredential(env) ? {} : await storedAccessTokens(env, onWarning),
  });
}

async function storedAccessTokens(
  env: Record<string, string | undefined>,
  warn: WarningHandler,
): Promise<Record<string, AccessCredentials>> {
  // Loaded only when needed: the store's module brings in the rest of @access-bridge/auth-relay.
  const { AccessTokenStore, accessTokenDir, describeSkipped } =
    await import("@access-bridge/auth-relay");
  const { describeExpiry } = await import("./describe-expiry.js");
  const { tokens, skipped } = new AccessTokenStore(accessTokenDir(env)).listSync();
  for (const entry of skipped) warn(describeSkipped(entry));
  const hosts: Record<string, AccessCredentials> = {};
  for (const { host, token, expiresAt } of tokens) {
    if (expiresAt !== undefined && expiresAt <= Date.now()) {
      warn(
        `The Cloudflare Access token stored for ${host} ${describeExpiry(expiresAt)}, so it is not sent. Run ${loginAccessCommand(host)} for a new one.`,
      );
      continue;
    }
    hosts[host] = { token };
  }
  return hosts;
}
