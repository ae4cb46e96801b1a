// The proxy client's env: every binding it reads, named by the constants the Node side writes
// them with (wire-protocol.ts, call-bounds.ts), so the two cannot drift apart. Types only, plus
// the reading of the credentials, and of where they came from, out of it.
import type { CALL_BOUNDS_BINDING } from "../../shared/call-bounds.js";
import {
  accessCredentialSource,
  type AccessCredentialSource,
  type BearerSource,
} from "../../shared/advice.js";
import type { AccessCredentials } from "../../shared/credentials.js";
import {
  CREDENTIAL_BINDINGS,
  CREDENTIAL_SOURCE_BINDING,
  type REPORTER_BINDING,
  type RPC_SESSIONS_BINDING,
  TOKEN_BROKER_BINDINGS,
  TOKEN_SOURCE_BINDING,
} from "../../shared/wire-protocol.js";
import type { RpcSessionHost } from "./rpc-session-host.js";

type TextBindings<Names extends Record<string, string>> = {
  [Name in Names[keyof Names]]?: string;
};

export type ProxyClientEnv = TextBindings<typeof CREDENTIAL_BINDINGS> &
  TextBindings<typeof TOKEN_BROKER_BINDINGS> & {
    /** Node's reporter (the Miniflare API); absent under wrangler and the Vite plugin. */
    [REPORTER_BINDING]?: Fetcher;
    /** The bearer token source as a Node function (the Miniflare API). */
    [TOKEN_SOURCE_BINDING]?: Fetcher;
    [CALL_BOUNDS_BINDING]?: string;
    /** Where the Access credential came from (advice.ts); not a secret. */
    [CREDENTIAL_SOURCE_BINDING]?: string;
    [RPC_SESSIONS_BINDING]: DurableObjectNamespace<RpcSessionHost>;
  };

/**
 * The Access credentials this client sends, or none: then requests are exactly the
 * unauthenticated ones. A service token wins over a user token, as in resolveAccessCredentials().
 */
export function clientCredentials(env: ProxyClientEnv): AccessCredentials | undefined {
  const clientId = env[CREDENTIAL_BINDINGS.CLIENT_ID];
  const clientSecret = env[CREDENTIAL_BINDINGS.CLIENT_SECRET];
  if (clientId && clientSecret) return { clientId, clientSecret };
  const token = env[CREDENTIAL_BINDINGS.USER_TOKEN];
  return token ? { token } : undefined;
}

/** Where the Access credential came from; undefined (generic advice) when no tool said. */
export function credentialSource(env: ProxyClientEnv): AccessCredentialSource | undefined {
  return accessCredentialSource(env[CREDENTIAL_SOURCE_BINDING]);
}

/**
 * Where the bearer token comes from: a Node function is the Miniflare API's `bearer` option; the
 * loopback broker serves the sign-in `access-bridge login --remote` stored.
 */
export function bearerSource(env: ProxyClientEnv): BearerSource | undefined {
  if (env[TOKEN_SOURCE_BINDING] !== undefined) return "option";
  return env[TOKEN_BROKER_BINDINGS.URL] ? "login --remote" : undefined;
}
