import { readFile } from "node:fs/promises";
import { expect, test } from "vitest";
import { login } from "../src/login.js";
import { getAccessToken, logout, whoami } from "../src/session.js";
import type { TokenStore } from "../src/token-store.js";
import { consentInBrowser, visit } from "@access-bridge/test-support/oauth-server-consent";
import { startOAuthServer } from "@access-bridge/test-support/start-oauth-server";
import { tempStore } from "@access-bridge/test-support/temp-store";

async function loggedIn(
  accessTokenTtlSeconds?: number,
): Promise<{ issuer: string; store: TokenStore }> {
  const { issuer } = await startOAuthServer(accessTokenTtlSeconds ? { accessTokenTtlSeconds } : {});
  const store = await tempStore();
  await login({
    issuer,
    transport: "localhost",
    openBrowser: false,
    store,
    onPrompt: (prompt) => void consentInBrowser(prompt.url, "approve").then(visit),
  });
  return { issuer, store };
}

const callApi = (issuer: string, token: string) =>
  fetch(`${issuer}/api/me`, { headers: { Authorization: `Bearer ${token}` } });

test("an access token within a minute of expiry is refreshed (RFC 6749 §6) and the file updated", async () => {
  // 60 s is the provider's minimum lifetime, and inside our one-minute refresh margin.
  const { issuer, store } = await loggedIn(60);
  const before = await store.read(issuer);

  const token = await getAccessToken({ issuer, store });

  expect(token).not.toBe(before?.accessToken);
  const after = await store.read(issuer);
  expect(after?.accessToken).toBe(token);
  // workers-oauth-provider rotates refresh tokens on use; the rotated one is what we keep.
  expect(after?.refreshToken).not.toBe(before?.refreshToken);
  expect((await callApi(issuer, token)).status).toBe(200);
});

test("a fresh access token is used as stored", async () => {
  const { issuer, store } = await loggedIn();
  expect(await getAccessToken({ issuer, store })).toBe((await store.read(issuer))?.accessToken);
});

test("a fresh access token the server refused is renewed, not handed out again; another refused token changes nothing", async () => {
  const { issuer, store } = await loggedIn();
  const stored = (await store.read(issuer))!;

  expect(await getAccessToken({ issuer, store, refused: "some-other-token" })).toBe(
    stored.accessToken,
  );
  const renewed = await getAccessToken({ issuer, store, refused: stored.accessToken });

  expect(renewed).not.toBe(stored.accessToken);
  expect((await store.read(issuer))?.accessToken).toBe(renewed);
  expect((await callApi(issuer, renewed)).status).toBe(200);
});

test("whoami describes each login without any token", async () => {
  const { issuer, store } = await loggedIn();
  const stored = await store.read(issuer);
  const [me, ...others] = await whoami({ store });

  expect(others).toEqual([]);
  expect(me).toMatchObject({
    issuer,
    expired: false,
    refreshable: true,
    file: store.fileFor(issuer),
  });
  const shown = JSON.stringify(me);
  expect(shown).not.toContain(stored?.accessToken);
  expect(shown).not.toContain(stored?.refreshToken);
});

test("logout revokes at the server (RFC 7009) and deletes the file", async () => {
  const { issuer, store } = await loggedIn();
  const stored = await store.read(issuer);
  expect((await callApi(issuer, stored?.accessToken as string)).status).toBe(200);
  const file = store.fileFor(issuer);

  expect(await logout({ issuer, store })).toEqual({
    issuer,
    revoked: true,
    removed: true,
    unusable: false,
  });

  expect((await callApi(issuer, stored?.accessToken as string)).status).toBe(401);
  await expect(readFile(file)).rejects.toMatchObject({ code: "ENOENT" });
  await expect(getAccessToken({ issuer, store })).rejects.toMatchObject({
    code: "ERR_NOT_LOGGED_IN",
  });
  expect(await logout({ issuer, store })).toEqual({
    issuer,
    revoked: false,
    removed: false,
    unusable: false,
  });
});
