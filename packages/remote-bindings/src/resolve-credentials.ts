// Where Access credentials come from, first match wins: an explicit option, a service token
// from CLOUDFLARE_ACCESS_CLIENT_ID + CLOUDFLARE_ACCESS_CLIENT_SECRET, a user token from
// CLOUDFLARE_ACCESS_TOKEN. A per-host map overrides all of them for its host.
import { inspect } from "node:util";
import { clientIdHint } from "./access-guidance.js";
import { RemoteBindingsError } from "./errors.js";

/** A service token (sent as CF-Access-Client-Id/-Secret) or a user token (sent as cf-access-token). */
export type AccessCredentials = { clientId: string; clientSecret: string } | { token: string };

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

export function validateCredentials(value: unknown, optionPath: string): AccessCredentials {
  const record = (typeof value === "object" && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  const nonEmpty = (key: string) => typeof record[key] === "string" && record[key] !== "";
  if (nonEmpty("clientId") && nonEmpty("clientSecret")) {
    return { clientId: record.clientId as string, clientSecret: record.clientSecret as string };
  }
  if (nonEmpty("token")) return { token: record.token as string };
  throw new RemoteBindingsError(
    "INVALID_OPTION",
    `${optionPath} must be { clientId, clientSecret } (a service token) or { token } (a user ` +
      `token), each a non-empty string.`,
  );
}

/** Shown instead of the values whenever credentials are printed or serialised. */
export function describeCredentials(credentials: AccessCredentials | undefined): string {
  if (credentials === undefined) return "no Access credentials";
  return "token" in credentials
    ? "an Access user token"
    : `an Access service token (client id ${clientIdHint(credentials.clientId)})`;
}

function redacted<T extends object>(value: T, describe: () => string): T {
  Object.defineProperty(value, inspect.custom, { value: describe });
  Object.defineProperty(value, "toJSON", { value: describe });
  return value;
}

function fromEnvironment(
  env: Record<string, string | undefined>,
  warn: (message: string) => void,
): AccessCredentials | undefined {
  const clientId = env.CLOUDFLARE_ACCESS_CLIENT_ID || undefined;
  const clientSecret = env.CLOUDFLARE_ACCESS_CLIENT_SECRET || undefined;
  if (clientId && clientSecret) return { clientId, clientSecret };
  if (clientId || clientSecret) {
    const [set, missing] = clientId
      ? ["CLOUDFLARE_ACCESS_CLIENT_ID", "CLOUDFLARE_ACCESS_CLIENT_SECRET"]
      : ["CLOUDFLARE_ACCESS_CLIENT_SECRET", "CLOUDFLARE_ACCESS_CLIENT_ID"];
    warn(
      `[access-bridge] ${set} is set but ${missing} is not, so no service token will be sent. ` +
        `A service token needs both: set ${missing} as well, or unset ${set}.`,
    );
  }
  const token = env.CLOUDFLARE_ACCESS_TOKEN || undefined;
  return token ? { token } : undefined;
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
  const result: AccessCredentialsByHost = { byHost, fallback };
  return redacted(result, () => {
    const hosts = Object.keys(byHost).map(
      (host) => `${host}: ${describeCredentials(byHost[host])}`,
    );
    return `AccessCredentialsByHost { ${[...hosts, `fallback: ${describeCredentials(fallback)}`].join(", ")} }`;
  });
}

/** The credentials for `url`'s host, if any. */
export function credentialsForUrl(
  credentials: AccessCredentials | AccessCredentialsByHost | null,
  url: URL,
): AccessCredentials | undefined {
  if (credentials === null) return undefined;
  if (!("byHost" in credentials)) return credentials;
  return (
    credentials.byHost[url.host.toLowerCase()] ??
    credentials.byHost[url.hostname.toLowerCase()] ??
    credentials.fallback
  );
}
