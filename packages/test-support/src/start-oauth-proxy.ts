import path from "node:path";
import { convertV4MiniflareOptions, Miniflare, Response, type Request } from "miniflare";
import { onTestFinished } from "vitest";
import { WORKERS_COMPATIBILITY_DATE } from "@access-bridge/conventions";
import { proxyServerOAuthScriptPath } from "@access-bridge/remote-bindings";

/** The bundle `npm run build` writes for remote-bindings' proxy server in OAuth mode. */
export const OAUTH_PROXY_BUNDLE = proxyServerOAuthScriptPath;

export const USER_ID_KEY = "user-id-key-0123456789abcdef0123456789";

/** The binding behind the proxy: echoes what reached it, and answers one RPC method. */
const API_WORKER = `
import { WorkerEntrypoint } from "cloudflare:workers";
export default class Api extends WorkerEntrypoint {
  fetch(request) {
    return Response.json({ url: request.url, headers: Object.fromEntries(request.headers) });
  }
  greet(name) { return "hello " + name; }
}`;

export interface OAuthProxyOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  allowedEmails?: string;
  allowedDomains?: string;
  accessTokenTtl?: number;
  refreshTokenTtl?: number;
  /** Requests per minute per IP on the OAuth endpoints. */
  rateLimit?: number;
  /** Extra vars, or a removed one (undefined). */
  vars?: Record<string, string | undefined>;
  /**
   * Client ID Metadata Documents, keyed by their https URL: the Worker's outbound fetch of one
   * of these URLs is answered with the document, every other request goes out as it was made.
   */
  clientMetadata?: Record<string, object>;
  /** Instead of oauth.wrangler.jsonc's flags (global_fetch_strictly_public). */
  compatibilityFlags?: string[];
}

export interface StartedOAuthProxy {
  mf: Miniflare;
  origin: string;
  /** Every line the Worker logged (console.*), for leak checks. */
  logs: string[];
  /** Changes settings in place; KV (grants, clients) survives, as in a redeploy. */
  reconfigure(options: Partial<OAuthProxyOptions>): Promise<void>;
}

export async function startOAuthProxy(options: OAuthProxyOptions): Promise<StartedOAuthProxy> {
  const logs: string[] = [];
  let current = options;
  const build = (settings: OAuthProxyOptions) => {
    const vars: Record<string, string> = {
      OAUTH_ACCESS_ISSUER: settings.issuer,
      OAUTH_ACCESS_CLIENT_ID: settings.clientId,
      OAUTH_ACCESS_CLIENT_SECRET: settings.clientSecret,
      OAUTH_USER_ID_KEY: USER_ID_KEY,
      OAUTH_ALLOWED_EMAILS: settings.allowedEmails ?? "",
      OAUTH_ALLOWED_EMAIL_DOMAINS: settings.allowedDomains ?? "",
      ...(settings.accessTokenTtl
        ? { OAUTH_ACCESS_TOKEN_TTL: String(settings.accessTokenTtl) }
        : {}),
      ...(settings.refreshTokenTtl
        ? { OAUTH_REFRESH_TOKEN_TTL: String(settings.refreshTokenTtl) }
        : {}),
    };
    for (const [name, value] of Object.entries(settings.vars ?? {})) {
      if (value === undefined) delete vars[name];
      else vars[name] = value;
    }
    return convertV4MiniflareOptions({
      cf: false,
      host: "127.0.0.1",
      port: 0,
      handleStructuredLogs: (log) => logs.push(log.message),
      workers: [
        {
          name: "proxy",
          modules: true,
          scriptPath: OAUTH_PROXY_BUNDLE,
          modulesRoot: path.dirname(OAUTH_PROXY_BUNDLE),
          compatibilityDate: WORKERS_COMPATIBILITY_DATE,
          compatibilityFlags: settings.compatibilityFlags ?? ["global_fetch_strictly_public"],
          kvNamespaces: ["OAUTH_KV", "NOTES"],
          ratelimits: {
            OAUTH_RATE_LIMITER: {
              namespace_id: "7001",
              simple: { limit: settings.rateLimit ?? 1000, period: 60 },
            },
          },
          bindings: vars,
          serviceBindings: { API: "api" },
          ...(settings.clientMetadata
            ? { outboundService: answerClientMetadata(settings.clientMetadata) }
            : {}),
        },
        {
          name: "api",
          modules: [{ type: "ESModule", path: "api.js", contents: API_WORKER }],
          compatibilityDate: WORKERS_COMPATIBILITY_DATE,
        },
      ],
    });
  };
  const mf = new Miniflare(build(current));
  onTestFinished(() => mf.dispose());
  const origin = (await mf.ready).origin;
  return {
    mf,
    origin,
    logs,
    async reconfigure(changes) {
      current = { ...current, ...changes };
      const next = build(current);
      // Keep the same address: the issuer and every token's audience are this origin.
      await mf.setOptions({ ...next, port: Number(new URL(origin).port) });
    },
  };
}

/**
 * The Worker's outbound fetches, with the listed metadata documents answered here (their hosts
 * do not exist) and the rest (the identity provider on loopback) passed to the network.
 */
function answerClientMetadata(documents: Record<string, object>) {
  return async (request: Request): Promise<Response> => {
    const document = documents[request.url];
    if (document !== undefined) return Response.json(document);
    const response = await fetch(request.url, {
      method: request.method,
      headers: [...request.headers],
      body:
        request.method === "GET" || request.method === "HEAD" ? undefined : await request.text(),
      redirect: "manual",
    });
    // Node's fetch has already decoded the body; the length and encoding no longer describe it.
    const headers = new Headers(response.headers);
    headers.delete("content-encoding");
    headers.delete("content-length");
    return new Response(response.body as never, { status: response.status, headers: [...headers] });
  };
}
