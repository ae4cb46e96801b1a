import { stat } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "vitest";
import { AuthRelayError } from "../src/errors.js";
import { login, type LoginPrompt } from "../src/login.js";
import { getAccessToken } from "../src/session.js";
import { consentInBrowser, visit } from "@access-bridge/test-support/oauth-server-consent";
import { startOAuthServer } from "@access-bridge/test-support/start-oauth-server";
import { tempStore } from "@access-bridge/test-support/temp-store";

/** Runs the scripted browser against each prompt; `tamper` may deliver other callbacks first. */
function browser(
  decision: "approve" | "deny",
  tamper?: (callback: URL) => Promise<void>,
): { onPrompt: (prompt: LoginPrompt) => void; done: Promise<Response> } {
  let resolve!: (response: Promise<Response>) => void;
  const done = new Promise<Response>((r) => (resolve = r));
  return {
    done,
    onPrompt: (prompt) =>
      resolve(
        consentInBrowser(prompt.url, decision).then(async (callback) => {
          await tamper?.(callback);
          return visit(callback);
        }),
      ),
  };
}

test("localhost transport: PKCE login end to end, tokens stored 0600 and usable", async () => {
  const { issuer } = await startOAuthServer();
  const store = await tempStore();
  const user = browser("approve");

  const result = await login({
    issuer,
    transport: "localhost",
    openBrowser: false,
    store,
    onPrompt: user.onPrompt,
  });

  const page = await user.done;
  expect(page.status).toBe(200);
  expect(page.headers.get("referrer-policy")).toBe("no-referrer");
  expect(result).toMatchObject({ issuer, transport: "localhost", file: store.fileFor(issuer) });
  expect((await stat(result.file)).mode & 0o777).toBe(0o600);
  expect((await stat(path.dirname(result.file))).mode & 0o777).toBe(0o700);

  const token = await getAccessToken({ issuer, store });
  const api = await fetch(`${issuer}/api/me`, { headers: { Authorization: `Bearer ${token}` } });
  expect(await api.json()).toEqual({ userId: "ada" });
});

test("localhost transport: a callback with a wrong state is refused and the login goes on", async () => {
  const { issuer } = await startOAuthServer();
  const user = browser("approve", async (callback) => {
    const forged = new URL(callback);
    forged.searchParams.set("state", "x".repeat(32));
    const refused = await visit(forged);
    expect(refused.status).toBe(400);
  });
  const result = await login({
    issuer,
    transport: "localhost",
    openBrowser: false,
    store: await tempStore(),
    onPrompt: user.onPrompt,
  });
  expect(result.transport).toBe("localhost");
  expect((await user.done).status).toBe(200);
});

test("localhost transport: denial ends the login with access_denied", async () => {
  const { issuer } = await startOAuthServer();
  const user = browser("deny");
  const attempt = login({
    issuer,
    transport: "localhost",
    openBrowser: false,
    store: await tempStore(),
    onPrompt: user.onPrompt,
  });
  await expect(attempt).rejects.toMatchObject({
    name: "AuthRelayError",
    code: "ERR_ACCESS_DENIED",
    oauthError: "access_denied",
  });
  expect((await user.done).status).toBe(200);
});

test("RFC 9207: a callback naming another issuer is rejected (mix-up defence)", async () => {
  const { issuer } = await startOAuthServer();
  const user = {
    onPrompt: (prompt: LoginPrompt) =>
      void consentInBrowser(prompt.url, "approve").then((callback) => {
        callback.searchParams.set("iss", "https://attacker.example");
        return visit(callback);
      }),
  };
  const attempt = login({
    issuer,
    transport: "localhost",
    openBrowser: false,
    store: await tempStore(),
    onPrompt: user.onPrompt,
  });
  const error = await attempt.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AuthRelayError);
  expect(error).toMatchObject({ code: "ERR_ISSUER_MISMATCH" });
});
