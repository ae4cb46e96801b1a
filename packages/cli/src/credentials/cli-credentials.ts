import {
  credentialsForUrl,
  halfSetServiceToken,
  resolveAccessCredentials,
  type AccessCredentials,
  type AccessCredentialsByHost,
} from "@access-bridge/remote-bindings";
import { CliError } from "../cli-error.js";
import { storedLoginBearer, type StoredLoginBearer } from "./stored-login-bearer.js";

/** What `dev` and `doctor` send to a remote: an Access credential, and a sign-in for OAuth mode. */
export interface RemoteCredentials {
  credentials: AccessCredentials | undefined;
  bearer?: StoredLoginBearer;
}

/**
 * The Access credential for `remoteUrl` (resolveCliCredentials below), and, independently of it,
 * the sign-in `access-bridge login --remote` stored for that remote: it answers the proxy
 * server's OAuth layer, not Access, so it goes besides the Access credential (behind Access, an
 * OAuth-mode proxy server needs both) and never replaces one.
 */
export async function resolveRemoteCredentials(
  remoteUrl: URL,
  env: NodeJS.ProcessEnv,
): Promise<RemoteCredentials> {
  const credentials = credentialsForUrl(await resolveCliCredentials(env), remoteUrl);
  const bearer = await storedLoginBearer(remoteUrl, env);
  return bearer === undefined ? { credentials } : { credentials, bearer };
}

/**
 * The credentials `dev` and `doctor` send to a remote you point them at, first match wins: a
 * service token, CLOUDFLARE_ACCESS_TOKEN, then the token `access-bridge login --access <host>`
 * stored for that host. Half a service token is a mistake worth stopping for: running on
 * without it would only fail later, with a 403.
 */
export async function resolveCliCredentials(
  env: Record<string, string | undefined>,
  onWarning: (message: string) => void = (message) => process.stderr.write(`▲ ${message}\n`),
): Promise<AccessCredentialsByHost> {
  const half = halfSetServiceToken(env);
  if (half !== undefined) {
    const { set, missing } = half;
    throw new CliError(
      "ERR_CREDENTIALS",
      `${set} is set but ${missing} is not. A service token needs both: set ${missing} too (Zero Trust → Access → Service Auth), or unset ${set}.`,
    );
  }
  // A per-host entry overrides the environment in resolveAccessCredentials, so stored tokens
  // are only consulted when the environment names no credential at all.
  const fromEnvironment =
    Boolean(env.CLOUDFLARE_ACCESS_CLIENT_ID) || Boolean(env.CLOUDFLARE_ACCESS_TOKEN);
  return resolveAccessCredentials(env, {
    hosts: fromEnvironment ? {} : await storedAccessTokens(env, onWarning),
  });
}

async function storedAccessTokens(
  env: Record<string, string | undefined>,
  warn: (message: string) => void,
): Promise<Record<string, AccessCredentials>> {
  // Loaded only when needed: the store's module brings in @access-bridge/auth-relay.
  const { AccessTokenStore, accessTokenDir, describeSkipped } =
    await import("../auth/access-token-store.js");
  const { describeExpiry } = await import("../auth/describe-expiry.js");
  const { tokens, skipped } = new AccessTokenStore(accessTokenDir(env)).listSync();
  for (const entry of skipped) warn(describeSkipped(entry));
  const hosts: Record<string, AccessCredentials> = {};
  for (const { host, token, expiresAt } of tokens) {
    if (expiresAt !== undefined && expiresAt <= Date.now()) {
      warn(
        `The Cloudflare Access token stored for ${host} ${describeExpiry(expiresAt)}, so it is not sent. Run access-bridge login --access ${host} for a new one.`,
      );
      continue;
    }
    hosts[host] = { token };
  }
  return hosts;
}
