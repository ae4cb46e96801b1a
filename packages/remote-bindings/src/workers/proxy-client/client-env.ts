// What the proxy client knows about itself: its credentials (text bindings of this Worker only)
// and where its reports go.
import type { AccessCredentials } from "../../shared/credentials.js";
import type {
  ProxyClientReport,
  RPC_SESSIONS_BINDING,
  TOKEN_SOURCE_BINDING,
} from "../../shared/wire-protocol.js";
import { REPORTER_BINDING } from "../../shared/wire-protocol.js";
import { knownBearerTokens } from "./bearer-token.js";
import type { RpcSessionHost } from "./rpc-session-host.js";

export interface ProxyClientEnv {
  accessClientId?: string;
  accessClientSecret?: string;
  accessToken?: string;
  [REPORTER_BINDING]?: Fetcher;
  [TOKEN_SOURCE_BINDING]?: Fetcher;
  ACCESS_BRIDGE_TOKEN_BROKER_URL?: string;
  ACCESS_BRIDGE_TOKEN_BROKER_KEY?: string;
  [RPC_SESSIONS_BINDING]: DurableObjectNamespace<RpcSessionHost>;
}

/** The credentials this client sends, or none: then requests are exactly the unauthenticated ones. */
export function clientCredentials(env: ProxyClientEnv): AccessCredentials | undefined {
  if (env.accessClientId && env.accessClientSecret) {
    return { clientId: env.accessClientId, clientSecret: env.accessClientSecret };
  }
  return env.accessToken ? { token: env.accessToken } : undefined;
}

/** Last line of defence for text that leaves the Worker: no credential value survives it. */
export function redact(text: string, env: ProxyClientEnv): string {
  let result = text;
  for (const secret of [
    env.accessClientSecret,
    env.accessToken,
    env.accessClientId,
    env.ACCESS_BRIDGE_TOKEN_BROKER_KEY,
    ...knownBearerTokens(),
  ]) {
    if (secret) result = result.split(secret).join("[redacted]");
  }
  return result;
}

// Under wrangler or the Vite plugin there is no Node reporter: the Worker's own log is where
// the developer looks. Once per isolate and message, so a loop of blocked calls does not flood it.
const logged = new Set<string>();

/**
 * Tells the developer what happened: through the Node reporter when there is one (the Miniflare
 * API), else on the Worker's log. Best effort: a failed report never fails the binding call.
 */
export async function report(env: ProxyClientEnv, body: ProxyClientReport): Promise<void> {
  const safe = { ...body, message: redact(body.message, env) };
  const reporter = env[REPORTER_BINDING];
  if (reporter === undefined) {
    const key =
      safe.type === "access-blocked" || safe.type === "sign-in"
        ? `${safe.type}\n${safe.binding}\n${safe.host}`
        : safe.message;
    if (!logged.has(key)) {
      logged.add(key);
      console.warn(`[access-bridge] ${safe.message}`);
    }
    return;
  }
  try {
    const response = await reporter.fetch("http://access-bridge.reporter/", {
      method: "POST",
      body: JSON.stringify(safe),
    });
    await response.body?.cancel();
  } catch {
    // The Node side is gone (for example while Miniflare disposes); nobody is left to tell.
  }
}
