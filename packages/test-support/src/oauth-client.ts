import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import { newWebSocketRpcSession } from "capnweb";
import { WebSocket } from "undici";
import { expect } from "vitest";
import { ScriptedBrowser, location, signIn } from "./oauth-browser.js";
import type { StartedOAuthProxy } from "./start-oauth-proxy.js";

/** The CLI's side of the protocol, by hand: registration, PKCE, code exchange, refresh. */
export const REDIRECT_URI = "http://127.0.0.1:9999/callback";

export async function registerClient(origin: string, redirectUri = REDIRECT_URI): Promise<string> {
  const response = await fetch(`${origin}/oauth/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      client_name: "access-bridge",
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    }),
  });
  if (response.status !== 201) throw new Error(`registration answered ${response.status}`);
  return ((await response.json()) as { client_id: string }).client_id;
}

export interface PkceRequest {
  url: string;
  state: string;
  verifier: string;
}

export function authorizationRequest(
  origin: string,
  clientId: string,
  redirectUri = REDIRECT_URI,
): PkceRequest {
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(24).toString("base64url");
  const url = new URL(`${origin}/oauth/authorize`);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", clientId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("state", state);
  url.searchParams.set("code_challenge", createHash("sha256").update(verifier).digest("base64url"));
  url.searchParams.set("code_challenge_method", "S256");
  return { url: url.href, state, verifier };
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
}

export async function tokenRequest(
  origin: string,
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${origin}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

export async function exchangeCode(
  origin: string,
  clientId: string,
  code: string,
  verifier: string,
  redirectUri = REDIRECT_URI,
): Promise<Tokens> {
  const { status, body } = await tokenRequest(origin, {
    grant_type: "authorization_code",
    code,
    code_verifier: verifier,
    client_id: clientId,
    redirect_uri: redirectUri,
  });
  if (status !== 200) throw new Error(`code exchange answered ${status}: ${JSON.stringify(body)}`);
  return body as unknown as Tokens;
}

/** An HTTP binding call in the wire protocol: MF-Binding, MF-URL, MF-Header-*. */
export function bindingFetch(
  origin: string,
  token: string | undefined,
  binding = "API",
  extra: Record<string, string> = {},
): Promise<Response> {
  return fetch(origin, {
    headers: {
      "MF-Binding": binding,
      "MF-URL": "https://api.internal/hello",
      "MF-Header-X-From-User": "yes",
      ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
      ...extra,
    },
  });
}

/**
 * Opens the RPC upgrade of binding API with `token` and calls greet("ada") over capnweb, as the
 * proxy client does: what a signed-in client reaches.
 */
export async function greetOverRpc(origin: string, token: string): Promise<string> {
  const socket = new WebSocket(`${origin.replace(/^http/, "ws")}/?MF-Binding=API`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve);
    socket.addEventListener("error", reject);
  });
  const api = newWebSocketRpcSession<{ greet(name: string): string }>(socket as never);
  try {
    return await api.greet("ada");
  } finally {
    api[Symbol.dispose]();
    socket.close();
  }
}

/** Sends a raw WebSocket upgrade and reports the status and body the server answered with. */
export function upgrade(
  origin: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${origin}${path}`, {
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
        ...headers,
      },
    });
    request.on("upgrade", (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 0, body: "" });
    });
    request.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject);
  });
}

/** Registration, consent, Access, callback and code exchange: what `login --remote` does. */
export async function logIn(
  proxy: StartedOAuthProxy,
  browser = new ScriptedBrowser(),
): Promise<Tokens & { clientId: string }> {
  const clientId = await registerClient(proxy.origin);
  const request = authorizationRequest(proxy.origin, clientId);
  const { callback } = await signIn(browser, request.url);
  const back = location(callback);
  expect(back.searchParams.get("state")).toBe(request.state);
  expect(back.searchParams.get("iss")).toBe(proxy.origin);
  const code = back.searchParams.get("code");
  if (!code) throw new Error("no code");
  return { ...(await exchangeCode(proxy.origin, clientId, code, request.verifier)), clientId };
}
