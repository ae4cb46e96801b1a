// The client side of OAuth mode (issue 14), end to end: the Miniflare API with a token source,
// through real workerd, against the OAuth-mode proxy server signing people in through the Access
// emulator's Access for SaaS (OIDC) application. Every token the tests mint is watched by the
// canary check, and every warning and error message is handed to it.
import { request as httpRequest } from "node:http";
import { expect, test } from "vitest";
import { captureForCanaryCheck } from "@access-bridge/test-support/test-canary";
import { startBearerRemote, tokenHash } from "@access-bridge/test-support/bearer-remote";
import { ScriptedTokenSource, startBearerLocal, type Outcome } from "./support/bearer-local.js";

function message(outcome: Outcome): string {
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  captureForCanaryCheck("bearer client error", outcome.message);
  return outcome.message;
}

test("with a token source, HTTP, RPC and connect each carry Authorization: Bearer, and the binding never sees it", async () => {
  const remote = await startBearerRemote();
  const source = new ScriptedTokenSource(remote, await remote.signIn());
  const local = await startBearerLocal(remote.origin, { bearer: source });

  const http = await local.call<{ status: number; text: string }>("/http");
  expect(http).toMatchObject({ ok: true, value: { status: 200 } });
  const echoed = JSON.parse((http as { value: { text: string } }).value.text) as {
    headers: Record<string, string>;
  };
  expect(echoed.headers["x-from-user"]).toBe("yes");
  expect(echoed.headers).not.toHaveProperty("authorization");
  expect(await local.call("/rpc", { name: "ada" })).toEqual({ ok: true, value: "hello ada" });
  expect(await local.call("/connect")).toEqual({ ok: true, value: "ping" });

  const token = tokenHash(source.handedOut[0]!);
  expect(await remote.seen()).toEqual([
    { path: "http", method: "GET", bearer: token },
    { path: "rpc", method: "GET", bearer: token },
    { path: "connect", method: "GET", bearer: token },
  ]);
  // One token for all three: the proxy client keeps it until it nears expiry.
  expect(source.handedOut).toHaveLength(1);
  expect(local.warnings).toEqual([]);
});

test("without a token source, every path says the proxy server wants a sign-in and what to run", async () => {
  const remote = await startBearerRemote();
  const local = await startBearerLocal(remote.origin);
  const login = `access-bridge login --remote ${remote.origin}`;

  const http = await local.call<{ status: number; text: string }>("/http");
  expect(http).toMatchObject({ ok: true, value: { status: 401 } });
  const text = (http as { value: { text: string } }).value.text;
  captureForCanaryCheck("bearer client error", text);
  expect(text).toMatch(
    /^\[ERR_SIGN_IN_REQUIRED\] The proxy server refused remote binding "API" \(http\) at 127\.0\.0\.1:\d+ \(HTTP 401\): it is in OAuth mode and no access token was sent\./,
  );
  expect(text).toContain(login);

  const rpc = message(await local.call("/rpc", { name: "ada" }));
  expect(rpc).toMatch(/^\[ERR_SIGN_IN_REQUIRED\] .*"API" \(rpc\)/);
  expect(rpc).toContain(login);
  expect(rpc).toContain("remoteBindings({ bearer })");

  // connect(): workerd ends the caller's socket; the reason is the warning.
  expect(await local.call("/connect")).not.toEqual({ ok: true, value: "ping" });
  expect(local.warnings.filter((warning) => warning.includes('"TCP" (connect)'))).toHaveLength(1);
  // Once per binding and host, whatever the path.
  expect(local.warnings.filter((warning) => warning.includes('"API"'))).toHaveLength(1);
  expect(local.warnings.every((warning) => warning.includes(login))).toBe(true);
  expect((await remote.seen()).every((request) => request.bearer === null)).toBe(true);
});

test("a refused token is replaced once: a GET and an upgrade are sent again with a fresh token; a POST is not", async () => {
  const remote = await startBearerRemote();
  const first = await remote.signIn();
  // The first token the source gives is revoked already: every path meets a 401 first.
  await remote.revoke(first, "access_token");
  const source = new ScriptedTokenSource(remote, first);
  const local = await startBearerLocal(remote.origin, { bearer: source });

  expect(await local.call("/rpc", { name: "ada" })).toEqual({ ok: true, value: "hello ada" });
  const [revoked, fresh] = source.handedOut.map(tokenHash);
  expect(await remote.seen()).toEqual([
    { path: "rpc", method: "GET", bearer: revoked },
    { path: "rpc", method: "GET", bearer: fresh },
  ]);

  await remote.revoke(source.login, "access_token");
  expect(await local.call("/http")).toMatchObject({ ok: true, value: { status: 200 } });
  expect(source.handedOut).toHaveLength(3);

  await remote.revoke(source.login, "access_token");
  const post = await local.call<{ status: number; text: string }>("/http", { method: "POST" });
  expect(post).toMatchObject({ ok: true, value: { status: 401 } });
  const text = (post as { value: { text: string } }).value.text;
  captureForCanaryCheck("bearer client error", text);
  expect(text).toMatch(
    /^\[ERR_TOKEN_REJECTED\] The proxy server refused the access token for remote binding "API" \(http\) .*\(HTTP 401, invalid_token\), and a POST request is not sent again/,
  );
  // …but the next call has the token asked for after the refusal.
  expect(source.handedOut).toHaveLength(4);
  expect(await local.call("/http", { method: "POST" })).toMatchObject({
    ok: true,
    value: { status: 200 },
  });
  const posts = (await remote.seen()).filter((request) => request.method === "POST");
  expect(posts.map((request) => request.bearer)).toEqual(
    source.handedOut.slice(2, 4).map(tokenHash),
  );
});

test("a token refused again after a fresh one was asked for: the upgrade fails with ERR_TOKEN_REJECTED", async () => {
  const remote = await startBearerRemote();
  const login = await remote.signIn();
  await remote.revoke(login, "access_token");
  const source = new ScriptedTokenSource(remote, login);
  // A token source that cannot renew (it hands out the same token again).
  source.next = "same";
  const local = await startBearerLocal(remote.origin, { bearer: source });
  const rpc = message(await local.call("/rpc", { name: "ada" }));
  expect(rpc).toMatch(
    /^\[ERR_TOKEN_REJECTED\] .*"API" \(rpc\).*also after asking for a fresh token/s,
  );
  expect(rpc).toContain(`access-bridge login --remote ${remote.origin}`);
  expect(source.handedOut).toHaveLength(2);
  // Not sent twice: the same token would only be refused again.
  expect((await remote.seen()).filter((request) => request.path === "rpc")).toHaveLength(1);
});

test("a token source that fails: the call fails with ERR_TOKEN_REFRESH_FAILED, its reason and what to run, no token", async () => {
  const remote = await startBearerRemote();
  const source = new ScriptedTokenSource(remote, await remote.signIn());
  source.failFirst = Object.assign(
    new Error("The login for the remote expired and could not be renewed (invalid_grant)."),
    { code: "ERR_REFRESH_FAILED" },
  );
  const local = await startBearerLocal(remote.origin, { bearer: source });
  for (const path of ["/rpc", "/http"]) {
    const failure = await local.call(path, { name: "ada" });
    const text = failure.ok ? "" : failure.message;
    captureForCanaryCheck("bearer client error", text);
    expect(text).toMatch(
      /^\[ERR_TOKEN_REFRESH_FAILED\] Remote binding "API" \((rpc|http)\) at 127\.0\.0\.1:\d+ needs an access token/,
    );
    expect(text).toContain("could not be renewed (invalid_grant). (ERR_REFRESH_FAILED)");
    // The token source is the Node API's `bearer` option, so the advice names it too.
    expect(text).toContain(
      `Sign in again with \`access-bridge login --remote ${remote.origin}\`, or check the token source passed as remoteBindings({ bearer }).`,
    );
  }
  expect(await remote.seen()).toEqual([]);
});

test("a session whose token nears expiry: the next call opens a new session with a renewed token, and a call under way on the old one finishes", async () => {
  const remote = await startBearerRemote();
  const source = new ScriptedTokenSource(remote, await remote.signIn());
  // Tokens are said to live 12 s (the real ones live an hour): the proxy client renews at half
  // that, and lets the old session serve what is under way on it until the 12 s are up.
  source.expiry = () => Date.now() + 12_000;
  const local = await startBearerLocal(remote.origin, { bearer: source });

  expect(await local.call("/rpc", { name: "first" })).toEqual({ ok: true, value: "hello first" });
  const held = local.call("/hold", { id: "on-the-old-session" });
  await expect.poll(() => remote.held(), { timeout: 5_000 }).toEqual(["on-the-old-session"]);
  // Calls keep using the open session until its token is within 6 s of expiry, then one opens
  // a new session; polled, since the renewal follows the clock.
  await expect
    .poll(
      async () => {
        await local.call("/rpc", { name: "again" });
        return source.handedOut.length;
      },
      { timeout: 15_000, interval: 250 },
    )
    .toBe(2);
  const upgrades = (await remote.seen()).filter((request) => request.path === "rpc");
  expect(upgrades.map((request) => request.bearer)).toEqual(source.handedOut.map(tokenHash));

  await remote.release("on-the-old-session");
  expect(await held).toEqual({ ok: true, value: "released on-the-old-session" });
  expect(await local.call("/rpc", { name: "after" })).toEqual({ ok: true, value: "hello after" });
  expect((await remote.seen()).filter((request) => request.path === "rpc")).toHaveLength(2);
});

// The one slow test: the proxy server closes a session when its token expires, and 60 s is the
// shortest token the provider issues. The token source reports no expiry, so the proxy client
// does not renew ahead of time and meets the close.
test("a session closed with 4401 at its token's expiry: the call under way fails saying why, the next call opens a new session with a fresh token", async () => {
  const remote = await startBearerRemote({ accessTokenTtl: 60 });
  const source = new ScriptedTokenSource(remote, await remote.signIn());
  source.expiry = () => undefined;
  const local = await startBearerLocal(remote.origin, { bearer: source });

  expect(await local.call("/rpc", { name: "first" })).toEqual({ ok: true, value: "hello first" });
  const closed = message(await local.call("/hold", { id: "past-expiry" }));
  expect(closed).toMatch(
    /^\[ERR_REMOTE_UNREACHABLE\] Remote binding "API" \(rpc\): the session with the proxy server at 127\.0\.0\.1:\d+ was lost: the access token it was opened with expired \(the proxy server is in OAuth mode\) \(WebSocket close 4401\)\./,
  );
  expect(closed).toContain("The next call opens a new session, with a fresh token.");

  expect(await local.call("/rpc", { name: "after" })).toEqual({ ok: true, value: "hello after" });
  expect(source.handedOut).toHaveLength(2);
  const upgrades = (await remote.seen()).filter((request) => request.path === "rpc");
  expect(upgrades.map((request) => request.bearer)).toEqual(source.handedOut.map(tokenHash));
}, 120_000);

test("the loopback broker (wrangler and Vite): the proxy client presents the run's key; without it the broker refuses", async () => {
  const { startTokenBroker } = await import("../../src/node/token-broker.js");
  const remote = await startBearerRemote();
  const source = new ScriptedTokenSource(remote, await remote.signIn());
  const broker = await startTokenBroker(source);
  try {
    // As wrangler gives them: text bindings of the proxy client, no Node function.
    const local = await startBearerLocal(remote.origin, { clientBindings: broker.bindings });
    expect(await local.call("/rpc", { name: "ada" })).toEqual({ ok: true, value: "hello ada" });
    expect(await local.call("/http")).toMatchObject({ ok: true, value: { status: 200 } });
    expect(source.handedOut).toHaveLength(1);

    const withoutKey = await fetch(broker.url, { method: "POST", body: "{}" });
    expect(withoutKey.status).toBe(403);
    const wrongKey = await fetch(broker.url, {
      method: "POST",
      headers: { "X-Access-Bridge-Broker-Key": "x".repeat(43) },
      body: JSON.stringify({ remote: remote.origin, reason: "missing" }),
    });
    expect(wrongKey.status).toBe(403);
    expect(source.handedOut).toHaveLength(1);
    // Another name for the same address (a rebound DNS name) is refused too.
    const key = broker.bindings.ACCESS_BRIDGE_TOKEN_BROKER_KEY!;
    const rebound = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(broker.url, {
        method: "POST",
        headers: { "X-Access-Bridge-Broker-Key": key, Host: "evil.example" },
      });
      request.on("response", (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("error", reject);
      request.end(JSON.stringify({ remote: remote.origin, reason: "missing" }));
    });
    expect(rebound).toBe(403);
    expect(source.handedOut).toHaveLength(1);
  } finally {
    await broker.close();
  }
});
