// A proxy server in OAuth mode for the client's tests: the OAuth-mode bundle in workerd, signing
// people in through the Access emulator's Access for SaaS (OIDC) application, with bindings for
// every path (an RPC service whose calls can be held open, and a raw TCP target for connect()).
// In front of it, a pass-through Worker notes what arrived on each path, and which token it
// carried, as a SHA-256 (never the token), so a test can see what the proxy client sent.
import { createHash } from "node:crypto";
import path from "node:path";
import { startAccessEmulator, type AccessEmulator } from "@access-bridge/access-emulator";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { onTestFinished } from "vitest";
import { watchSecret } from "./test-canary.js";
import { startTcpTarget } from "./tcp-target.js";
import { WORKERS_COMPATIBILITY_DATE } from "@access-bridge/conventions";
import { location, ScriptedBrowser, signIn } from "./oauth-browser.js";
import {
  authorizationRequest,
  exchangeCode,
  registerClient,
  tokenRequest,
} from "./oauth-client.js";
import { OAUTH_PROXY_BUNDLE, USER_ID_KEY } from "./start-oauth-proxy.js";
import {
  login,
  type LoginPrompt,
  type StoredLogin,
  type TokenStore,
} from "@access-bridge/auth-relay";

const FRONT_WORKER = `
const seen = [];
async function hash(token) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/__test/requests") return Response.json(seen);
    if (!url.pathname.startsWith("/oauth/") && !url.pathname.startsWith("/.well-known/")) {
      const upgrade = request.headers.get("Upgrade") === "websocket";
      const bearer = /^Bearer (.+)$/.exec(request.headers.get("Authorization") ?? "")?.[1];
      seen.push({
        path: !upgrade ? "http" : request.headers.has("MF-Connect-Address") ? "connect" : "rpc",
        method: request.method,
        bearer: bearer === undefined ? null : await hash(bearer),
      });
    }
    return env.PROXY.fetch(request);
  },
};`;

const API_WORKER = `
import { WorkerEntrypoint } from "cloudflare:workers";
// Held calls poll a set rather than wait on a promise another request resolves: workerd cancels a
// request whose only pending work is such a promise.
const held = new Set();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export default class Api extends WorkerEntrypoint {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/release") {
      const found = held.delete(url.searchParams.get("id"));
      return new Response(found ? "released" : "not held");
    }
    if (url.pathname === "/held") return Response.json([...held]);
    return Response.json({
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
    });
  }
  greet(name) { return "hello " + name; }
  async hold(id) {
    held.add(id);
    while (held.has(id)) await sleep(20);
    return "released " + id;
  }
}`;

export interface SeenRequest {
  path: "http" | "rpc" | "connect";
  method: string;
  /** SHA-256 (hex) of the bearer token it carried, or null. */
  bearer: string | null;
}

export interface SignedIn {
  clientId: string;
  accessToken: string;
  refreshToken: string;
  /** Epoch ms, as the token endpoint said. */
  expiresAt: number;
}

export const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

export interface BearerRemote {
  origin: string;
  access: AccessEmulator;
  /** What reached the proxy server on the binding paths, in order. */
  seen(): Promise<SeenRequest[]>;
  /** The RPC calls the remote holds open (`hold(id)`), by id. */
  held(): Promise<string[]>;
  release(id: string): Promise<void>;
  /** A user's sign-in (consent, Access, code exchange); every token is watched by the canary. */
  signIn(): Promise<SignedIn>;
  refresh(login: SignedIn): Promise<SignedIn>;
  /** RFC 7009 at the proxy: an access token alone, or a refresh token (its whole grant). */
  revoke(login: SignedIn, which: "access_token" | "refresh_token"): Promise<void>;
}

function watched(clientId: string, body: Record<string, unknown>): SignedIn {
  const login = {
    clientId,
    accessToken: body.access_token as string,
    refreshToken: body.refresh_token as string,
    expiresAt: Date.now() + (body.expires_in as number) * 1000,
  };
  watchSecret(login.accessToken, login.refreshToken);
  return login;
}

export async function startBearerRemote(
  options: { accessTokenTtl?: number; sessionRecheckSeconds?: number } = {},
): Promise<BearerRemote> {
  const tcp = await startTcpTarget();
  onTestFinished(() => tcp.close());
  const build = (oidc: { issuer: string; clientId: string; clientSecret: string }) =>
    convertV4MiniflareOptions({
      cf: false,
      host: "127.0.0.1",
      port: 0,
      workers: [
        {
          name: "front",
          modules: [{ type: "ESModule", path: "front.js", contents: FRONT_WORKER }],
          compatibilityDate: WORKERS_COMPATIBILITY_DATE,
          serviceBindings: { PROXY: "proxy" },
        },
        {
          name: "proxy",
          modules: true,
          scriptPath: OAUTH_PROXY_BUNDLE,
          modulesRoot: path.dirname(OAUTH_PROXY_BUNDLE),
          compatibilityDate: WORKERS_COMPATIBILITY_DATE,
          // As oauth.wrangler.jsonc deploys it (CIMD on).
          compatibilityFlags: ["global_fetch_strictly_public"],
          kvNamespaces: ["OAUTH_KV"],
          ratelimits: {
            OAUTH_RATE_LIMITER: { namespace_id: "7001", simple: { limit: 1000, period: 60 } },
          },
          bindings: {
            OAUTH_ACCESS_ISSUER: oidc.issuer,
            OAUTH_ACCESS_CLIENT_ID: oidc.clientId,
            OAUTH_ACCESS_CLIENT_SECRET: oidc.clientSecret,
            OAUTH_USER_ID_KEY: USER_ID_KEY,
            OAUTH_ALLOWED_EMAIL_DOMAINS: "example.com",
            ...(options.accessTokenTtl
              ? { OAUTH_ACCESS_TOKEN_TTL: String(options.accessTokenTtl) }
              : {}),
            ...(options.sessionRecheckSeconds
              ? { OAUTH_SESSION_RECHECK_SECONDS: String(options.sessionRecheckSeconds) }
              : {}),
          },
          serviceBindings: {
            API: "api",
            TCP: { external: { address: `127.0.0.1:${tcp.port}`, http: {} } },
          },
        },
        {
          name: "api",
          modules: [{ type: "ESModule", path: "api.js", contents: API_WORKER }],
          compatibilityDate: WORKERS_COMPATIBILITY_DATE,
        },
      ],
    });

  // The proxy starts first (Access must know its callback URL), then the emulator, then the
  // proxy is pointed at the emulator's app-scoped issuer on the same port.
  const pending = {
    issuer: "https://team.cloudflareaccess.com/x",
    clientId: "x",
    clientSecret: "x",
  };
  const mf = new Miniflare(build(pending));
  onTestFinished(() => mf.dispose());
  const origin = (await mf.ready).origin;
  const access = await startAccessEmulator({
    origin: {
      worker: {
        modules: true,
        script: "export default { fetch: () => new Response(null, { status: 404 }) };",
      },
    },
    application: { type: "self_hosted" },
    oidc: {
      redirectUris: [`${origin}/oauth/callback`],
      clientId: "access-bridge-proxy",
      issuer: "emulator-url",
      allowedEmailDomains: ["example.com"],
    },
  });
  onTestFinished(() => access.dispose());
  await mf.setOptions({ ...build(access.oidc), port: Number(new URL(origin).port) });
  access.oidc.signIn("ada@example.com");

  const api = () => mf.getWorker("api");
  return {
    origin,
    access,
    seen: async () => (await (await fetch(`${origin}/__test/requests`)).json()) as SeenRequest[],
    held: async () =>
      (await (await (await api()).fetch("http://api.internal/held")).json()) as string[],
    async release(id) {
      const answer = await (await api()).fetch(`http://api.internal/release?id=${id}`);
      if ((await answer.text()) !== "released") throw new Error(`the remote held no call ${id}`);
    },
    async signIn() {
      const redirectUri = "http://127.0.0.1:9999/callback";
      const clientId = await registerClient(origin, redirectUri);
      const request = authorizationRequest(origin, clientId, redirectUri);
      const { callback } = await signIn(new ScriptedBrowser(), request.url);
      const code = location(callback).searchParams.get("code");
      if (!code) throw new Error(`the sign-in ended without a code (${callback.status})`);
      const tokens = await exchangeCode(origin, clientId, code, request.verifier, redirectUri);
      return watched(clientId, tokens as unknown as Record<string, unknown>);
    },
    async refresh(login) {
      const { status, body } = await tokenRequest(origin, {
        grant_type: "refresh_token",
        refresh_token: login.refreshToken,
        client_id: login.clientId,
      });
      if (status !== 200) throw new Error(`refresh answered ${status}`);
      return watched(login.clientId, body);
    },
    async revoke(login, which) {
      const response = await fetch(`${origin}/oauth/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          token: which === "access_token" ? login.accessToken : login.refreshToken,
          token_type_hint: which,
          client_id: login.clientId,
        }).toString(),
      });
      if (response.status !== 200) throw new Error(`revocation answered ${response.status}`);
    },
  };
}

/** Plays the user in the browser the prompt names: consent, Access, back to the CLI's callback. */
function browserUser(prompt: LoginPrompt): void {
  const browser = new ScriptedBrowser();
  void signIn(browser, prompt.url).then(({ callback }) => browser.get(location(callback)));
}

/**
 * `login({ remote })` to `remote` by the localhost transport, as `access-bridge login --remote`
 * does, into `store`; its tokens are watched for in everything the run prints and writes.
 */
export async function signInTo(remote: BearerRemote, store: TokenStore): Promise<StoredLogin> {
  await login({
    remote: remote.origin,
    transport: "localhost",
    openBrowser: false,
    store,
    onPrompt: browserUser,
  });
  const stored = (await store.read(`remote ${remote.origin}`))!;
  watchSecret(stored.accessToken, stored.refreshToken!);
  return stored;
}
