import { expect, test } from "vitest";
import { login, type LoginPrompt } from "../src/login.js";
import { startDeviceServer } from "@access-bridge/test-support/device-server";
import { tempStore } from "@access-bridge/test-support/temp-store";

/** Records each wait instead of sleeping, so RFC 8628's 5 s intervals cost no test time. */
function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

test("device flow: default 5 s interval, +5 s per slow_down, then tokens (RFC 8628 §3.2, §3.5)", async () => {
  const server = await startDeviceServer({
    steps: ["authorization_pending", "slow_down", "authorization_pending", "slow_down", "approve"],
  });
  const clock = recordingSleep();
  const prompts: LoginPrompt[] = [];
  const store = await tempStore();

  const result = await login({
    issuer: server.issuer,
    transport: "device",
    openBrowser: false,
    store,
    sleep: clock.sleep,
    onPrompt: (prompt) => prompts.push(prompt),
  });

  expect(clock.waits).toEqual([5_000, 5_000, 10_000, 10_000, 15_000]);
  expect(prompts).toEqual([
    { transport: "device", url: `${server.issuer}/device`, userCode: "WDJB-MJHT", reasons: [] },
  ]);
  expect(server.polls.map((form) => Object.fromEntries(form))).toContainEqual({
    grant_type: "urn:ietf:params:oauth:grant-type:device_code",
    device_code: "device-code-1",
    client_id: "device-client",
  });
  expect(result.transport).toBe("device");
  expect((await store.read(server.issuer))?.accessToken).toBe("device-access");
});

test("device flow: honours the server's interval", async () => {
  const server = await startDeviceServer({
    steps: ["authorization_pending", "approve"],
    interval: 2,
  });
  const clock = recordingSleep();
  await login({
    issuer: server.issuer,
    transport: "device",
    openBrowser: false,
    store: await tempStore(),
    sleep: clock.sleep,
    onPrompt: () => undefined,
  });
  expect(clock.waits).toEqual([2_000, 2_000]);
});

test.each([
  ["access_denied", "ERR_ACCESS_DENIED"],
  ["expired_token", "ERR_DEVICE_CODE_EXPIRED"],
] as const)("device flow: %s ends the login with code %s", async (step, code) => {
  const server = await startDeviceServer({ steps: ["authorization_pending", step] });
  const attempt = login({
    issuer: server.issuer,
    transport: "device",
    openBrowser: false,
    store: await tempStore(),
    sleep: recordingSleep().sleep,
    onPrompt: () => undefined,
  });
  await expect(attempt).rejects.toMatchObject({ name: "AuthRelayError", code, oauthError: step });
  expect(server.polls).toHaveLength(2);
});

test("device flow: a verification URI on a foreign origin is refused before the user sees it", async () => {
  const server = await startDeviceServer({
    steps: ["approve"],
    verificationUri: "https://phish.example/device",
  });
  const prompts: LoginPrompt[] = [];
  const attempt = login({
    issuer: server.issuer,
    transport: "device",
    openBrowser: false,
    store: await tempStore(),
    sleep: recordingSleep().sleep,
    onPrompt: (prompt) => prompts.push(prompt),
  });
  await expect(attempt).rejects.toMatchObject({ code: "ERR_INSECURE_ENDPOINT" });
  expect(prompts).toEqual([]);
  expect(server.polls).toHaveLength(0);
});

test("discovery: metadata that names another issuer is refused (RFC 8414 §3.3)", async () => {
  const server = await startDeviceServer({
    steps: ["approve"],
    metadataIssuer: "https://other.example",
  });
  const attempt = login({
    issuer: server.issuer,
    transport: "device",
    openBrowser: false,
    store: await tempStore(),
    onPrompt: () => undefined,
  });
  await expect(attempt).rejects.toMatchObject({ code: "ERR_ISSUER_MISMATCH" });
  expect(server.polls).toHaveLength(0);
});
