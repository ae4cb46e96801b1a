import { expect, test } from "vitest";
import { registerPublicClient } from "../src/client-registration.js";
import { discoverAuthorizationServer } from "../src/discovery.js";
import { login, type LoginPrompt } from "../src/login.js";
import { getAccessToken } from "../src/session.js";
import { consentInBrowser, visit } from "@access-bridge/test-support/oauth-server-consent";
import { startOAuthServer } from "@access-bridge/test-support/start-oauth-server";
import {
  CONSENT_DENIED_URL,
  CONSENT_GRANTED_URL,
  startRelay,
} from "@access-bridge/test-support/start-relay";
import { startTcpProxy } from "./support/tcp-proxy.js";
import { tempStore } from "@access-bridge/test-support/temp-store";

const stateOf = (url: string) => new URL(url).searchParams.get("state") as string;

test("relay transport: login end to end; the relay 307s the browser and forgets the session", async () => {
  const { issuer } = await startOAuthServer();
  const relay = await startRelay();
  const store = await tempStore();
  let state = "";
  let landing: Promise<Response> | undefined;
  const onPrompt = (prompt: LoginPrompt) => {
    state = stateOf(prompt.url);
    expect(new URL(prompt.url).searchParams.get("redirect_uri")).toBe(`${relay.origin}/callback`);
    landing = consentInBrowser(prompt.url, "approve").then(visit);
  };

  const result = await login({
    issuer,
    relayUrl: relay.origin,
    openBrowser: false,
    store,
    onPrompt,
  });

  expect(result.transport).toBe("relay");
  const response = await (landing as Promise<Response>);
  expect(response.status).toBe(307);
  expect(response.headers.get("location")).toBe(CONSENT_GRANTED_URL);
  expect(await relay.storage(state)).toEqual({ keys: [], alarm: null });
  const token = await getAccessToken({ issuer, store });
  const api = await fetch(`${issuer}/api/me`, { headers: { Authorization: `Bearer ${token}` } });
  expect(api.status).toBe(200);
});

test("relay transport: the CLI reconnects after its socket drops and still gets the callback", async () => {
  const { issuer } = await startOAuthServer();
  const relay = await startRelay();
  const network = await startTcpProxy(relay.origin);
  let state = "";
  let landing: Promise<Response> | undefined;
  const onPrompt = (prompt: LoginPrompt) => {
    state = stateOf(prompt.url);
    network.dropAll();
    // The callback lands while the CLI is disconnected; the relay keeps it for the reconnect.
    landing = consentInBrowser(prompt.url, "approve").then(visit);
  };

  const result = await login({
    issuer,
    relayUrl: network.origin,
    openBrowser: false,
    store: await tempStore(),
    onPrompt,
  });

  expect(result.transport).toBe("relay");
  expect((await (landing as Promise<Response>)).status).toBe(307);
  expect(await relay.storage(state)).toEqual({ keys: [], alarm: null });
});

test("relay transport: denial reaches the CLI as ERR_ACCESS_DENIED (access_denied) and the browser the denied page", async () => {
  const { issuer } = await startOAuthServer();
  const relay = await startRelay();
  let landing: Promise<Response> | undefined;
  const attempt = login({
    issuer,
    relayUrl: relay.origin,
    openBrowser: false,
    store: await tempStore(),
    onPrompt: (prompt) => (landing = consentInBrowser(prompt.url, "deny").then(visit)),
  });
  await expect(attempt).rejects.toMatchObject({
    code: "ERR_ACCESS_DENIED",
    oauthError: "access_denied",
  });
  expect((await (landing as Promise<Response>)).headers.get("location")).toBe(CONSENT_DENIED_URL);
});

test("relay transport: a replayed callback gets the generic 404", async () => {
  const { issuer } = await startOAuthServer();
  const relay = await startRelay();
  let callback: URL | undefined;
  await login({
    issuer,
    relayUrl: relay.origin,
    openBrowser: false,
    store: await tempStore(),
    onPrompt: (prompt) =>
      void consentInBrowser(prompt.url, "approve").then((url) => {
        callback = url;
        return visit(url);
      }),
  });
  const replay = await visit(callback as URL);
  expect(replay.status).toBe(404);
  expect(await replay.text()).toBe("Not found.\n");
});

test("relay transport: a code delivered to another session's state fails PKCE (ERR_TOKEN_REQUEST_FAILED, invalid_grant)", async () => {
  const { issuer } = await startOAuthServer();
  const relay = await startRelay();
  const metadata = await discoverAuthorizationServer(issuer);
  // One client for both logins, so only the PKCE verifier tells them apart.
  const clientId = await registerPublicClient(
    metadata,
    [`${relay.origin}/callback`],
    ["authorization_code"],
  );
  const common = { issuer, clientId, relayUrl: relay.origin, openBrowser: false } as const;

  let victimState = "";
  let victimReady!: () => void;
  const victimPrompted = new Promise<void>((resolve) => (victimReady = resolve));
  const victim = login({
    ...common,
    store: await tempStore(),
    onPrompt: (prompt) => {
      victimState = stateOf(prompt.url);
      victimReady();
    },
  });
  const attacker = login({
    ...common,
    timeoutSeconds: 3,
    store: await tempStore(),
    onPrompt: (prompt) =>
      void victimPrompted
        .then(() => consentInBrowser(prompt.url, "approve"))
        .then((callback) => {
          callback.searchParams.set("state", victimState);
          return visit(callback);
        }),
  });

  await expect(victim).rejects.toMatchObject({
    code: "ERR_TOKEN_REQUEST_FAILED",
    oauthError: "invalid_grant",
  });
  await expect(attacker).rejects.toMatchObject({ code: "ERR_LOGIN_TIMEOUT" });
});

test("relay transport: the relay's TTL ends the login with ERR_LOGIN_TIMEOUT", async () => {
  const { issuer } = await startOAuthServer();
  const relay = await startRelay({ ttlSeconds: 2 });
  let state = "";
  const attempt = login({
    issuer,
    relayUrl: relay.origin,
    timeoutSeconds: 60,
    openBrowser: false,
    store: await tempStore(),
    onPrompt: (prompt) => (state = stateOf(prompt.url)),
  });
  const error = await attempt.catch((caught: unknown) => caught);
  expect(error).toMatchObject({ code: "ERR_LOGIN_TIMEOUT" });
  expect((error as Error).message).toContain("relay ended the login session");
  expect(await relay.storage(state)).toEqual({ keys: [], alarm: null });
});

test("relay transport: the CLI's own timeout ends the login with ERR_LOGIN_TIMEOUT", async () => {
  const { issuer } = await startOAuthServer();
  const relay = await startRelay();
  const attempt = login({
    issuer,
    relayUrl: relay.origin,
    timeoutSeconds: 1,
    openBrowser: false,
    store: await tempStore(),
    onPrompt: () => undefined,
  });
  const error = await attempt.catch((caught: unknown) => caught);
  expect(error).toMatchObject({ code: "ERR_LOGIN_TIMEOUT" });
  expect((error as Error).message).toContain("within 1 seconds");
});
