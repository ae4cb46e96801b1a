// Where Access credentials come from, first match wins: an explicit option, a service token
// from CLOUDFLARE_ACCESS_CLIENT_ID + CLOUDFLARE_ACCESS_CLIENT_SECRET, a user token from
// CLOUDFLARE_ACCESS_TOKEN. A per-host map overrides all of them for its host. (The bearer token of
// a proxy server in OAuth mode is not among them: it answers the proxy's own sign-in, not Access,
// and comes from a token source, remoteBindings({ bearer }).)
import { inspect } from "node:util";
import type { AccessCredentials } from "../shared/credentials.js";
import { halfSetTokenAdvice } from "../shared/advice.js";
import { describeCredentials, halfSetServiceToken } from "../shared/credentials.js";
import { RemoteBindingsError } from "../shared/errors.js";

/** Credentials for several remotes, keyed by host (`name.workers.dev`, or `host:port`). */
export interface AccessCredentialsByHost {
  byHost: Readonly<Record<string, AccessCredentials>>;
  /** For hosts not in `byHost`. */
  fallback?: AccessCredentials;
}

export interface ResolveAccessCredentialsOptions {
  /** Wins over the environment. */
  explicit?: AccessCredentials;
  /** Credentials that differ per remote host. */
  hosts?: Record<string, AccessCredentials>;
  /** Where a half-configured service token is reported. Defaults to console.warn. */
  onWarning?: (message: string) => void;
}

// Every credential object this module hands out prints as its description, however deeply it
// is nested in what gets logged: util.inspect, console.log and JSON.stringify all see that.
function redacted<T extends object>(value: T, describe: () => string): T {
  Object.defineProperty(value, inspect.custom, { value: describe });
  Object.defineProperty(value, "toJSON", { value: describe });
  return value;
}

function redactedCredentials(credentials: AccessCredentials): AccessCredentials {
  const copy = { ...credentials };
  return redacted(copy, () => describeCredentials(copy));
}

export function validateCredentials(value: unknown, optionPath: string): AccessCredentials {
  const record = (typeof value === "object" && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  const nonEmpty = (key: string) => typeof record[key] === "string" && record[key] !== "";
  if (nonEmpty("clientId") && nonEmpty("clientSecret")) {
    return redactedCredentials({
      clientId: record.clientId as string,
      clientSecret: record.clientSecret as string,
    });
  }
  if (nonEmpty("token")) return redactedCredentials({ token: record.token as string });
  throw new RemoteBindingsError(
    "ERR_INVALID_OPTION",
    `${optionPath} must be { clientId, clientSecret } (a service token) or { token } (a user ` +
      `token), each a non-empty string.`,
  );
}

function fromEnvironment(
  env: Record<string, string | undefined>,
  warn: (message: string) => void,
): AccessCredentials | undefined {
  const clientId = env.CLOUDFLARE_ACCESS_CLIENT_ID || undefined;
  const clientSecret = env.CLOUDFLARE_ACCESS_CLIENT_SECRET || undefined;
  if (clientId && clientSecret) return redactedCredentials({ clientId, clientSecret });
  const half = halfSetServiceToken(env);
  if (half !== undefined) warn(`[access-bridge] ${halfSetTokenAdvice(half)}`);
  const token = env.CLOUDFLARE_ACCESS_TOKEN || undefined;
  return token ? redactedCredentials({ token }) : undefined;
}

export function resolveAccessCredentials(
  env: Record<string, string | undefined> = process.env,
  options: ResolveAccessCredentialsOptions = {},
): AccessCredentialsByHost {
  const warn = options.onWarning ?? ((message: string) => console.warn(message));
  const fallback =
    options.explicit !== undefined
      ? validateCredentials(options.explicit, "resolveAccessCredentials({ explicit })")
      : fromEnvironment(env, warn);
  const byHost: Record<string, AccessCredentials> = {};
  for (const [host, credentials] of Object.entries(options.hosts ?? {})) {
    byHost[host.toLowerCase()] = validateCredentials(
      credentials,
      `resolveAccessCredentials({ hosts["${host}"] })`,
    );
  }
  const result: AccessCredentialsByHost = {
    byHost: redacted(byHost, () => describeHosts()),
    fallback,
  };
  const describeHosts = () =>
    `{ ${Object.keys(byHost)
      .map((host) => `${host}: ${describeCredentials(byHost[host])}`)
      .join(", ")} }`;
  return redacted(
    result,
    () =>
      `AccessCredentialsByHost { byHost: ${describeHosts()}, fallback: ${describeCredentials(fallback)} }`,
  );
}

/** The credentials for `url`'s host, if any; they print redacted too. */
export function credentialsForUrl(
  credentials: AccessCredentials | AccessCredentialsByHost | null,
  url: URL,
): AccessCredentials | undefined {
  if (credentials === null) return undefined;
  const found: AccessCredentials | undefined =
    "byHost" in credentials
      ? (credentials.byHost[url.host.toLowerCase()] ??
        credentials.byHost[url.hostname.toLowerCase()] ??
        credentials.fallback)
      : credentials;
  return found === undefined ? undefined : redactedCredentials(found);
}
