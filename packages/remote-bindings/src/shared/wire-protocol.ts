// Names shared by the Node side and the workers. Plain constants only: this file type-checks
// both against @types/node and against @cloudflare/workers-types.
import type { RemoteBindingType } from "./binding-types.js";

/**
 * Headers and query parameters of workers-sdk's remote proxy protocol. Keep them exact, so that
 * service and fetch-only bindings work with wrangler's proxy server and Miniflare's client.
 */
export const WIRE = {
  BINDING: "MF-Binding",
  URL: "MF-URL",
  HEADER_PREFIX: "MF-Header-",
  CONNECT_ADDRESS: "MF-Connect-Address",
  DISPATCH_NAMESPACE_OPTIONS: "MF-Dispatch-Namespace-Options",
  /**
   * On every answer the server forwards from a binding's fetch() ("true"): the binding's own,
   * never a refusal by Access or the proxy server, whatever it looks like. The client strips it.
   */
  FORWARDED_RESPONSE: "MF-Forwarded-Response",
} as const;

/** Cloudflare Access request headers. */
export const ACCESS_HEADERS = {
  CLIENT_ID: "CF-Access-Client-Id",
  CLIENT_SECRET: "CF-Access-Client-Secret",
  USER_TOKEN: "cf-access-token",
  JWT_ASSERTION: "Cf-Access-Jwt-Assertion",
} as const;

/** Text bindings of the proxy-client worker that carry credentials. Never on the user worker. */
export const CREDENTIAL_BINDINGS = {
  CLIENT_ID: "accessClientId",
  CLIENT_SECRET: "accessClientSecret",
  USER_TOKEN: "accessToken",
} as const;

/**
 * A text binding of the proxy-client worker naming where its Access credential came from (an
 * AccessCredentialSource of advice.ts), so that its advice names the command that fixes it. Not
 * a secret: a config file may hold it. Unset, the advice is generic.
 */
export const CREDENTIAL_SOURCE_BINDING = "ACCESS_BRIDGE_CREDENTIAL_SOURCE";

/** The Node-function service binding through which the proxy client reports to Node. */
export const REPORTER_BINDING = "ACCESS_BRIDGE_REPORTER";

/**
 * Where the proxy client asks for the bearer token of a proxy server in OAuth mode (see
 * bearer-token-source.ts): a Node-function service binding (the Miniflare API), or, where a
 * config cannot hold a Node function (wrangler, the Vite plugin), a loopback HTTP broker in the
 * tool's own process, named by two text bindings. The key is a secret, like the credentials.
 */
export const TOKEN_SOURCE_BINDING = "ACCESS_BRIDGE_TOKEN_SOURCE";
export const TOKEN_BROKER_BINDINGS = {
  URL: "ACCESS_BRIDGE_TOKEN_BROKER_URL",
  KEY: "ACCESS_BRIDGE_TOKEN_BROKER_KEY",
} as const;
/** The request header that carries the broker's key. */
export const TOKEN_BROKER_KEY_HEADER = "X-Access-Bridge-Broker-Key";

/** What the proxy client sends to its token source (JSON body of a POST). */
export interface TokenRequest {
  /** The proxy server the token is for. */
  remote: string;
  /** Why it asks: it has none, the one it has nears expiry, or the proxy server refused it. */
  reason: "missing" | "expiring" | "refused";
}

/** What a token source answers: 200 with a token, or another status with an error message. */
export type TokenAnswer = { token: string; expiresAt?: number } | { error: string };

/**
 * The close code with which a proxy server in OAuth mode ends an upgraded connection whose
 * access token expired (src/workers/oauth/session-lifetime.ts): reconnect with a fresh token.
 */
export const TOKEN_EXPIRED_CLOSE_CODE = 4401;

/**
 * The proxy client's Durable Object namespace that holds one RPC session per remote binding, and
 * the class that implements it (exported by the proxy-client bundle).
 */
export const RPC_SESSIONS_BINDING = "ACCESS_BRIDGE_RPC_SESSIONS";
export const RPC_SESSION_HOST_CLASS = "RpcSessionHost";

/** Per-binding settings of the proxy client, passed as `ctx.props` of its service binding. */
export interface ProxyClientProps {
  /** The binding's name on the remote proxy server. */
  binding: string;
  /** The proxy server's URL (http: or https:). */
  remoteUrl: string;
  /** How the binding is carried (see binding-types.ts). */
  type: RemoteBindingType;
  /** A Worker of a dispatch namespace: the JSON of `get(name, args, options)`. */
  dispatchOptions?: string;
}

/** Why Access blocked a call: decides which guidance the user sees. */
export type AccessBlockReason = "no_credentials" | "credentials_rejected";

/** The call path on which something happened. */
export type CallPath = "http" | "rpc" | "connect";

/**
 * What the proxy client reports to Node through the reporter binding (JSON body). `message` is
 * the complete, already redacted text to show; the other fields let Node de-duplicate.
 */
export type ProxyClientReport =
  | {
      type: "access-blocked";
      binding: string;
      host: string;
      status: number;
      reason: AccessBlockReason;
      path: CallPath;
      message: string;
    }
  | {
      type: "sign-in";
      binding: string;
      host: string;
      path: CallPath;
      message: string;
    }
  | { type: "unhandled-rejection"; message: string }
  | { type: "error"; binding: string; message: string };
