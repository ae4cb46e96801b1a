// The proxy server's OAuth mode (issue 14) in workerd: discovery, sign-in through a stand-in for
// Access for SaaS, tokens, and remote-binding traffic with the bearer token on every path.
import { newWebSocketRpcSession } from "capnweb";
import { WebSocket } from "undici";
import { expect, test } from "vitest";
import {
  bindingFetch,
  greetOverRpc,
  logIn,
  tokenRequest,
  upgrade,
} from "@access-bridge/test-support/oauth-client";
import { setUp } from "@access-bridge/test-support/oauth-setup";
import { CLIENT_SECRET } from "@access-bridge/test-support/test-identity-provider";

test("discovery: RFC 8414 metadata (S256 only, registration, CIMD), RFC 9728 resource metadata, and a Bearer challenge", async () => {
  const { proxy } = await setUp();
  const metadata = (await (
    await fetch(`${proxy.origin}/.well-known/oauth-authorization-server`)
  ).json()) as Record<string, unknown>;
  expect(metadata).toMatchObject({
    issuer: proxy.origin,
    authorization_endpoint: `${proxy.origin}/oauth/authorize`,
    token_endpoint: `${proxy.origin}/oauth/token`,
    registration_endpoint: `${proxy.origin}/oauth/register`,
    code_challenge_methods_supported: ["S256"],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
  });
  const resource = await fetch(`${proxy.origin}/.well-known/oauth-protected-resource`);
  expect(await resource.json()).toMatchObject({
    resource: proxy.origin,
    authorization_servers: [proxy.origin],
  });
  expect(resource.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);

  const unauthenticated = await bindingFetch(proxy.origin, undefined);
  expect(unauthenticated.status).toBe(401);
  expect(unauthenticated.headers.get("www-authenticate")).toBe(
    `Bearer realm="OAuth", resource_metadata="${proxy.origin}/.well-known/oauth-protected-resource"`,
  );
});

test("sign-in through Access, then the HTTP path with the bearer token; the binding never sees it", async () => {
  const { proxy } = await setUp();
  const tokens = await logIn(proxy);
  expect(tokens).toMatchObject({ token_type: "bearer", expires_in: 3600 });
  expect(tokens.refresh_token).toEqual(expect.any(String));

  const response = await bindingFetch(proxy.origin, tokens.access_token);
  expect(response.status).toBe(200);
  const seen = (await response.json()) as { url: string; headers: Record<string, string> };
  expect(seen.url).toBe("https://api.internal/hello");
  expect(seen.headers["x-from-user"]).toBe("yes");
  expect(JSON.stringify(seen)).not.toContain(tokens.access_token);
  // A binding's own response passes through as the binding made it.
  expect(response.headers.get("strict-transport-security")).toBeNull();

  expect((await bindingFetch(proxy.origin, `${tokens.access_token}x`)).status).toBe(401);
  expect((await bindingFetch(proxy.origin, "not-a-token")).status).toBe(401);
});

test("the RPC upgrade carries the bearer token: capnweb reaches the service binding", async () => {
  const { proxy } = await setUp();
  const tokens = await logIn(proxy);
  const url = `${proxy.origin.replace(/^http/, "ws")}/?MF-Binding=API`;

  const refused = new WebSocket(url);
  const refusal = await new Promise<string>((resolve) => {
    refused.addEventListener("open", () => resolve("open"));
    refused.addEventListener("error", () => resolve("refused"));
  });
  expect(refusal).toBe("refused");

  expect(await greetOverRpc(proxy.origin, tokens.access_token)).toBe("hello ada");
});

test("the connect upgrade and names the OAuth layer reserves: past the bearer check, then the proxy server's own answer", async () => {
  const { proxy } = await setUp();
  const tokens = await logIn(proxy);
  const connect = await upgrade(proxy.origin, "/", {
    Authorization: `Bearer ${tokens.access_token}`,
    "MF-Binding": "NOPE",
    "MF-Connect-Address": "db.internal:5432",
  });
  // No binding named NOPE: the proxy server itself answered, so the token was accepted.
  expect(connect.status).toBe(400);
  expect(connect.body).toContain('no binding named "NOPE"');
  const withoutToken = await upgrade(proxy.origin, "/", {
    "MF-Binding": "NOPE",
    "MF-Connect-Address": "db.internal:5432",
  });
  expect(withoutToken.status).toBe(401);
  for (const reserved of [
    "OAUTH_KV",
    "OAUTH_ACCESS_CLIENT_SECRET",
    "OAUTH_USER_ID_KEY",
    "OAUTH_RATE_LIMITER",
  ]) {
    const response = await bindingFetch(proxy.origin, tokens.access_token, reserved);
    expect(response.status, reserved).toBe(400);
    expect(await response.text()).not.toContain(CLIENT_SECRET);
  }
});

test("refresh rotates the refresh token; the access token lasts 1 h and the grant 24 h by default", async () => {
  const { proxy } = await setUp();
  const tokens = await logIn(proxy);
  const refreshed = await tokenRequest(proxy.origin, {
    grant_type: "refresh_token",
    refresh_token: tokens.refresh_token,
    client_id: tokens.clientId,
  });
  expect(refreshed.status).toBe(200);
  expect(refreshed.body.refresh_token).not.toBe(tokens.refresh_token);
  expect(refreshed.body.expires_in).toBe(3600);
  expect(refreshed.headers.get("x-content-type-options")).toBe("nosniff");
  expect((await bindingFetch(proxy.origin, refreshed.body.access_token as string)).status).toBe(
    200,
  );

  // Once the new refresh token is used, the old one is dead (rotation).
  const again = await tokenRequest(proxy.origin, {
    grant_type: "refresh_token",
    refresh_token: refreshed.body.refresh_token as string,
    client_id: tokens.clientId,
  });
  expect(again.status).toBe(200);
  const grants = await (
    await proxy.mf.getKVNamespace("OAUTH_KV", "proxy")
  ).list({ prefix: "grant:" });
  const [grant] = grants.keys;
  const record = JSON.parse(
    (await (await proxy.mf.getKVNamespace("OAUTH_KV", "proxy")).get(grant!.name)) ?? "{}",
  ) as {
    createdAt: number;
    expiresAt: number;
  };
  expect(record.expiresAt - record.createdAt).toBe(86_400);

  // A refresh token already exchanged, presented again: refused, and the sign-in is revoked
  // (reuse detection, oauth-refresh-reuse.test.ts).
  const replay = await tokenRequest(proxy.origin, {
    grant_type: "refresh_token",
    refresh_token: tokens.refresh_token,
    client_id: tokens.clientId,
  });
  expect(replay).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
});

test("an upgraded session lives no longer than the token that opened it (closed 4401 at expiry)", async () => {
  // 60 s is the shortest access token the provider issues; the test waits for the close event.
  const { proxy } = await setUp({ accessTokenTtl: 60 });
  const tokens = await logIn(proxy);
  const socket = new WebSocket(`${proxy.origin.replace(/^http/, "ws")}/?MF-Binding=API`, {
    headers: { Authorization: `Bearer ${tokens.access_token}` },
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.addEventListener("close", (event) =>
      resolve({ code: event.code, reason: event.reason }),
    ),
  );
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve);
    socket.addEventListener("error", reject);
  });
  const api = newWebSocketRpcSession<{ greet(name: string): string }>(socket as never);
  expect(await api.greet("before expiry")).toBe("hello before expiry");
  expect(await closed).toEqual({
    code: 4401,
    reason: "The access token expired; reconnect with a fresh one.",
  });
  await expect(api.greet("after")).rejects.toThrow();
}, 120_000);

test("a revoked sign-in closes its open sessions at the server's next check (4401); another sign-in's session goes on", async () => {
  // Checked every second here; 30 s by default, never more than 60.
  const { proxy } = await setUp({ vars: { OAUTH_SESSION_RECHECK_SECONDS: "1" } });
  const revoked = await logIn(proxy);
  const other = await logIn(proxy);
  const open = async (token: string) => {
    const socket = new WebSocket(`${proxy.origin.replace(/^http/, "ws")}/?MF-Binding=API`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.addEventListener("close", (event) =>
        resolve({ code: event.code, reason: event.reason }),
      ),
    );
    await new Promise((resolve, reject) => {
      socket.addEventListener("open", resolve);
      socket.addEventListener("error", reject);
    });
    const api = newWebSocketRpcSession<{ greet(name: string): string }>(socket as never);
    return { api, closed, socket };
  };
  const first = await open(revoked.access_token);
  const second = await open(other.access_token);
  expect(await first.api.greet("before")).toBe("hello before");

  // RFC 7009 with the refresh token: the whole grant goes, as at `access-bridge logout`.
  const revocation = await fetch(`${proxy.origin}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      token: revoked.refresh_token,
      token_type_hint: "refresh_token",
      client_id: revoked.clientId,
    }).toString(),
  });
  expect(revocation.status).toBe(200);
  const started = Date.now();
  expect(await first.closed).toEqual({
    code: 4401,
    reason: "The sign-in behind this session was revoked; sign in again.",
  });
  expect(Date.now() - started).toBeLessThan(10_000);
  await expect(first.api.greet("after")).rejects.toThrow();

  // Several checks later, the session of the sign-in nobody revoked still answers.
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  expect(await second.api.greet("still here")).toBe("hello still here");
  second.api[Symbol.dispose]();
  second.socket.close();
});
