// What the proxy client knows about itself: its text bindings (credentials) and the reporter.
import type { SentCredential } from "../../access-guidance.js";
import { clientIdHint } from "../../access-guidance.js";
import { ACCESS_HEADERS, REPORTER_BINDING } from "../../wire-protocol.js";
import type { RPC_SESSIONS_BINDING } from "../../wire-protocol.js";
import type { RpcSessionHost } from "./rpc-session-host.js";
import type { ProxyClientReport } from "../../wire-protocol.js";

export interface ProxyClientEnv {
  accessClientId?: string;
  accessClientSecret?: string;
  accessToken?: string;
  [REPORTER_BINDING]?: Fetcher;
  [RPC_SESSIONS_BINDING]?: DurableObjectNamespace<RpcSessionHost>;
}

/** The Access headers for this client, or none: then the request is exactly the unauthenticated one. */
export function accessHeaders(env: ProxyClientEnv): Record<string, string> {
  if (env.accessClientId && env.accessClientSecret) {
    return {
      [ACCESS_HEADERS.CLIENT_ID]: env.accessClientId,
      [ACCESS_HEADERS.CLIENT_SECRET]: env.accessClientSecret,
    };
  }
  if (env.accessToken) return { [ACCESS_HEADERS.USER_TOKEN]: env.accessToken };
  return {};
}

export function sentCredential(env: ProxyClientEnv): SentCredential {
  if (env.accessClientId && env.accessClientSecret) {
    return { kind: "service_token", clientIdHint: clientIdHint(env.accessClientId) };
  }
  if (env.accessToken) return { kind: "user_token" };
  return { kind: "none" };
}

/**
 * Tells the Node side what happened. Best effort: a missing reporter (the worker run outside
 * `remoteBindings()`) or a failed report must never turn into a failure of the binding call.
 */
export async function report(env: ProxyClientEnv, body: ProxyClientReport): Promise<void> {
  const reporter = env[REPORTER_BINDING];
  if (!reporter) return;
  try {
    const response = await reporter.fetch("http://access-bridge.reporter/", {
      method: "POST",
      body: JSON.stringify(body),
    });
    await response.body?.cancel();
  } catch {
    // The Node side is gone (for example while Miniflare disposes); nobody is left to tell.
  }
}
