// The process environment wrangler runs in, which is how the proxy client gets its credentials
// (see proxy-client-config.ts in @access-bridge/remote-bindings): nothing on disk holds them.
import { CREDENTIAL_SOURCES, type AccessCredentials } from "@access-bridge/remote-bindings";

/**
 * Why this environment would break the rule that credentials reach the proxy client only, or
 * keep them from reaching it at all; undefined when it is fine.
 */
export function environmentProblem(env: NodeJS.ProcessEnv): string | undefined {
  if (env.CLOUDFLARE_INCLUDE_PROCESS_ENV?.toLowerCase() === "true") {
    return "CLOUDFLARE_INCLUDE_PROCESS_ENV=true makes wrangler copy every variable of its environment into every Worker's env, your Worker's included, and with them the Access credentials. Unset it, and give your Worker its own values in .dev.vars or .env.";
  }
  if (env.CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV?.toLowerCase() === "false") {
    return "CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV=false stops wrangler from reading the proxy client's .env, which is how its Access credentials reach it. Unset it (a .dev.vars file beside your config still wins over .env for your Worker).";
  }
  return undefined;
}

/**
 * `base` for wrangler, with the proxy client's credentials as variables named like its own
 * vars (taken as they are, with no `${…}` expansion) instead of the CLOUDFLARE_ACCESS_* ones.
 */
export function wranglerEnvironment(
  base: NodeJS.ProcessEnv,
  variables: Record<string, string>,
): NodeJS.ProcessEnv {
  const env = { ...base };
  for (const source of Object.values(CREDENTIAL_SOURCES)) delete env[source];
  return { ...env, ...variables };
}

/** The proxy client's credential variable that the environment variable `source` feeds. */
function credentialVariable(source: string): string {
  return Object.keys(CREDENTIAL_SOURCES).find((name) => CREDENTIAL_SOURCES[name] === source)!;
}

/**
 * `credentials` as variables named like the proxy client's credential vars, which wrangler takes
 * over the `.env` references for that Worker alone: how a credential that is not in the
 * environment (minted for the embedded remote, stored by `login --access`) reaches it.
 */
export function credentialVariables(
  credentials: AccessCredentials | undefined,
): Record<string, string> {
  if (credentials === undefined) return {};
  if ("token" in credentials) {
    return { [credentialVariable("CLOUDFLARE_ACCESS_TOKEN")]: credentials.token };
  }
  return {
    [credentialVariable("CLOUDFLARE_ACCESS_CLIENT_ID")]: credentials.clientId,
    [credentialVariable("CLOUDFLARE_ACCESS_CLIENT_SECRET")]: credentials.clientSecret,
  };
}
