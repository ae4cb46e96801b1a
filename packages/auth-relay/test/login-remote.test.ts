// `login({ remote })` against the proxy server's OAuth mode in workerd (issue 14, client side):
// RFC 9728 discovery, the login by each browser transport, tokens stored per remote, refresh
// before expiry, a refresh that fails, and revocation.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, onTestFinished, test } from "vitest";
import { ScriptedBrowser, location, signIn } from "@access-bridge/test-support/oauth-browser";
import { bindingFetch } from "@access-bridge/test-support/oauth-client";
import { setUp } from "@access-bridge/test-support/oauth-setup";
import { login, type LoginPrompt } from "../src/login.js";
import { accessTokenSource, getAccessToken, logout, whoami } from "../src/session.js";
import { startRelay } from "@access-bridge/test-support/start-relay";
import { tempStore } from "@access-bridge/test-support/temp-store";

/** Plays the user: signs in through the consent page and Access, then lands on the callback. */
function browserFor(browser = new ScriptedBrowser()) {
  return (prompt: LoginPrompt) =>
    void signIn(browser, prompt.url).then(({ callback }) => browser.get(location(callback)));
}

test("login --remote: discovery (RFC 9728), localhost transport, tokens stored for the remote and usable as Bearer", async () => {
  const { proxy } = await setUp();
  const store = await tempStore();
  const prompts: LoginPrompt[] = [];
  const result = await login({
    remote: `${proxy.origin}/`,
    transport: "localhost",
    openBrowser: false,
    store,
    onPrompt: (prompt) => {
      prompts.push(prompt);
      browserFor()(prompt);
    },
  });
  expect(result).toMatchObject({
    issuer: proxy.origin,
    remote: proxy.origin,
    transport: "localhost",
  });
  const authorization = new URL(prompts[0]!.url);
  expect(authorization.origin + authorization.pathname).toBe(`${proxy.origin}/oauth/authorize`);
  // RFC 8707: the token is asked for this remote.
  expect(authorization.searchParams.get("resource")).toBe(proxy.origin);

  const token = await getAccessToken({ remote: proxy.origin, store });
  expect((await bindingFetch(proxy.origin, token)).status).toBe(200);
  await expect(getAccessToken({ issuer: proxy.origin, store })).rejects.toMatchObject({
    code: "ERR_NOT_LOGGED_IN",
  });
  expect(await whoami({ store })).toEqual([
    expect.objectContaining({ remote: proxy.origin, issuer: proxy.origin, refreshable: true }),
  ]);

  expect(await logout({ remote: proxy.origin, store })).toMatchObject({
    remote: proxy.origin,
    revoked: true,
    removed: true,
  });
  expect((await bindingFetch(proxy.origin, token)).status).toBe(401);
});

test("login --remote through the relay: the browser's callback reaches the CLI over the relay", async () => {
  const { proxy } = await setUp();
  const relay = await startRelay();
  const store = await tempStore();
  const result = await login({
    remote: proxy.origin,
    relayUrl: relay.origin,
    openBrowser: false,
    store,
    onPrompt: browserFor(),
  });
  expect(result.transport).toBe("relay");
  expect(
    (await bindingFetch(proxy.origin, await getAccessToken({ remote: proxy.origin, store })))
      .status,
  ).toBe(200);
});

test("a token near expiry is refreshed before use, once for concurrent callers, and the rotation is stored", async () => {
  // 60 s is the provider's minimum, and inside the one-minute refresh margin: every call refreshes.
  const { proxy } = await setUp({ accessTokenTtl: 60 });
  const store = await tempStore();
  await login({
    remote: proxy.origin,
    transport: "localhost",
    openBrowser: false,
    store,
    onPrompt: browserFor(),
  });
  const before = await store.read(`remote ${proxy.origin}`);

  const source = accessTokenSource({ remote: proxy.origin, store });
  const tokens = await Promise.all([source.token(), source.token(), source.token()]);
  expect(new Set(tokens).size).toBe(1);
  expect(tokens[0]).not.toBe(before?.accessToken);
  const after = await store.read(`remote ${proxy.origin}`);
  expect(after?.refreshToken).not.toBe(before?.refreshToken);
  expect((await bindingFetch(proxy.origin, tokens[0]!)).status).toBe(200);
  // The old access token still works until it expires; the new one is what is stored.
  expect(after?.accessToken).toBe(tokens[0]);
});

test("a refresh the server refuses says which remote and how to sign in again", async () => {
  const { proxy } = await setUp({ accessTokenTtl: 60, allowedEmails: "ada@example.com" });
  const store = await tempStore();
  await login({
    remote: proxy.origin,
    transport: "localhost",
    openBrowser: false,
    store,
    onPrompt: browserFor(),
  });
  await proxy.reconfigure({ allowedEmails: "grace@example.com" });

  const error = await getAccessToken({ remote: proxy.origin, store }).catch(
    (caught: unknown) => caught,
  );
  expect(error).toMatchObject({ code: "ERR_REFRESH_FAILED", oauthError: "invalid_grant" });
  expect((error as Error).message).toContain(
    `The login for ${proxy.origin} expired and could not be renewed.`,
  );
  expect((error as Error).message).toContain(
    `Run \`access-bridge login --remote ${proxy.origin}\`.`,
  );
  const stored = await store.read(`remote ${proxy.origin}`);
  expect((error as Error).message).not.toContain(stored?.refreshToken);
});

/** A server that answers the RFC 9728 well-known URL with `answer`. */
async function metadataServer(
  answer: (origin: string) => { status: number; headers?: Record<string, string>; body?: string },
) {
  const server = http.createServer((_request, response) => {
    const { status, headers, body } = answer(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    );
    response.writeHead(status, headers).end(body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test.each([
  [
    "not in OAuth mode",
    () => ({ status: 404, headers: { "Content-Type": "text/html" }, body: "<h1>404</h1>" }),
    "ERR_DISCOVERY_FAILED",
    "published no OAuth protected resource metadata",
  ],
  [
    "Access in front of the OAuth endpoints",
    () => ({
      status: 302,
      headers: {
        Location: "https://team.cloudflareaccess.com/cdn-cgi/access/login/proxy.example?kid=x",
      },
    }),
    "ERR_DISCOVERY_FAILED",
    "Add an Access Bypass for /.well-known/oauth-* and /oauth/*",
  ],
  [
    "metadata for another resource",
    () => ({
      status: 200,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        resource: "https://elsewhere.example",
        authorization_servers: ["https://as.example"],
      }),
    }),
    "ERR_ISSUER_MISMATCH",
    "describes another resource",
  ],
] as const)("discovery refuses a remote %s", async (_name, answer, code, message) => {
  const remote = await metadataServer(answer);
  const error = await login({
    remote,
    openBrowser: false,
    store: await tempStore(),
    onPrompt: () => undefined,
  }).catch((caught: unknown) => caught);
  expect(error).toMatchObject({ name: "AuthRelayError", code });
  expect((error as Error).message).toContain(message);
});
