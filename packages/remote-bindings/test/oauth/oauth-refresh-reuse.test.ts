// Refresh-token reuse detection (RFC 9700 §4.14.2, issue 18): a refresh token presented again
// after it was exchanged revokes the whole grant, whoever presents it, and the rightful client
// must sign in again. Logged without the token.
import { expect, test } from "vitest";
import {
  bindingFetch,
  logIn,
  tokenRequest,
  type Tokens,
} from "@access-bridge/test-support/oauth-client";
import { setUp } from "@access-bridge/test-support/oauth-setup";
import type { StartedOAuthProxy } from "@access-bridge/test-support/start-oauth-proxy";

function refresh(proxy: StartedOAuthProxy, clientId: string, refreshToken: string) {
  return tokenRequest(proxy.origin, {
    grant_type: "refresh_token",
    refresh_token: refreshToken,
    client_id: clientId,
  });
}

async function rotate(proxy: StartedOAuthProxy, clientId: string, tokens: Tokens) {
  const answer = await refresh(proxy, clientId, tokens.refresh_token);
  expect(answer.status).toBe(200);
  return answer.body as unknown as Tokens;
}

async function storedKeys(proxy: StartedOAuthProxy, prefix: string): Promise<string[]> {
  const kv = await proxy.mf.getKVNamespace("OAUTH_KV", "proxy");
  return (await kv.list({ prefix })).keys.map((key) => key.name);
}

test("the refresh token just replaced, presented again: invalid_grant, and every token of the grant stops working", async () => {
  const { proxy } = await setUp();
  const first = await logIn(proxy);
  const second = await rotate(proxy, first.clientId, first);

  // workers-oauth-provider alone would answer this 200 with fresh tokens (its grace for a lost
  // response): the thief and the client would each go on refreshing.
  const reused = await refresh(proxy, first.clientId, first.refresh_token);
  expect(reused).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  expect(reused.body.error_description).toContain("Sign in again");
  expect(reused.headers.get("cache-control")).toBe("no-store");

  expect(await refresh(proxy, first.clientId, second.refresh_token)).toMatchObject({
    status: 400,
    body: { error: "invalid_grant" },
  });
  for (const token of [first.access_token, second.access_token]) {
    expect((await bindingFetch(proxy.origin, token)).status).toBe(401);
  }
  expect(await storedKeys(proxy, "grant:")).toEqual([]);
  expect(await storedKeys(proxy, "token:")).toEqual([]);

  const logs = proxy.logs.join("\n");
  expect(logs).toContain("was presented again; its sign-in is revoked (RFC 9700 §4.14.2)");
  for (const secret of [first.refresh_token, second.refresh_token, first.access_token]) {
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain(secret.split(":")[2]);
  }
});

test("an older refresh token, two rotations back: the newest tokens stop working too", async () => {
  const { proxy } = await setUp();
  const first = await logIn(proxy);
  const second = await rotate(proxy, first.clientId, first);
  const third = await rotate(proxy, first.clientId, second);
  expect((await bindingFetch(proxy.origin, third.access_token)).status).toBe(200);

  expect(await refresh(proxy, first.clientId, first.refresh_token)).toMatchObject({
    status: 400,
    body: { error: "invalid_grant" },
  });
  expect((await bindingFetch(proxy.origin, third.access_token)).status).toBe(401);
  expect(await refresh(proxy, first.clientId, third.refresh_token)).toMatchObject({
    status: 400,
    body: { error: "invalid_grant" },
  });
});

test("only the reused sign-in is revoked: another grant of the same person goes on", async () => {
  const { proxy } = await setUp();
  const laptop = await logIn(proxy);
  const desktop = await logIn(proxy);
  await rotate(proxy, laptop.clientId, laptop);
  await refresh(proxy, laptop.clientId, laptop.refresh_token);

  expect((await bindingFetch(proxy.origin, desktop.access_token)).status).toBe(200);
  expect((await refresh(proxy, desktop.clientId, desktop.refresh_token)).status).toBe(200);
});

test("a rotation chain used as intended never trips it", async () => {
  const { proxy } = await setUp();
  let tokens: Tokens = await logIn(proxy);
  const { clientId } = tokens as Tokens & { clientId: string };
  for (let i = 0; i < 4; i++) tokens = await rotate(proxy, clientId, tokens);
  expect((await bindingFetch(proxy.origin, tokens.access_token)).status).toBe(200);
  expect(proxy.logs.join("\n")).not.toContain("presented again");
});

// Why this layer exists, kept as a test: if workers-oauth-provider ever detects reuse itself,
// this fails, and the detection here (src/workers/oauth/refresh-reuse.ts) can be retired.
test("the provider on its own still accepts the refresh token just replaced", async () => {
  const { proxy } = await setUp();
  const first = await logIn(proxy);
  await rotate(proxy, first.clientId, first);
  const kv = await proxy.mf.getKVNamespace("OAUTH_KV", "proxy");
  const markers = await storedKeys(proxy, "access-bridge-retired-refresh:");
  expect(markers).toHaveLength(1);
  await kv.delete(markers[0]!);
  expect((await refresh(proxy, first.clientId, first.refresh_token)).status).toBe(200);
});
