// The four defects issue 14 lists from the review of the reference implementation, each as a
// regression test against the OAuth-mode proxy in workerd.
import { createHmac } from "node:crypto";
import { generateKeyPair, SignJWT } from "jose";
import { expect, test } from "vitest";
import {
  consentHandle,
  location,
  ScriptedBrowser,
  signIn,
} from "@access-bridge/test-support/oauth-browser";
import {
  authorizationRequest,
  bindingFetch,
  exchangeCode,
  registerClient,
  REDIRECT_URI,
  tokenRequest,
} from "@access-bridge/test-support/oauth-client";
import { setUp } from "@access-bridge/test-support/oauth-setup";
import { USER_ID_KEY } from "@access-bridge/test-support/start-oauth-proxy";
import type {
  IdTokenMaker,
  TestIdentityProvider,
} from "@access-bridge/test-support/test-identity-provider";

const b64 = (value: string) => Buffer.from(value).toString("base64url");

/** The retry link a failed callback page offers: back to Access with the same state. */
function retryLink(html: string): string {
  const href = /<a href="([^"]+)">Sign in again<\/a>/.exec(html)?.[1];
  if (!href) throw new Error(`no retry link in: ${html}`);
  return href.replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code)));
}

function adversarialIdTokens(idp: TestIdentityProvider): [string, IdTokenMaker][] {
  return [
    ["bad base64", () => "!!!.@@@.###"],
    ["bad JSON header", (claims) => `${b64("{not json")}.${b64(JSON.stringify(claims))}.c2ln`],
    ["bad JSON payload", () => `${b64('{"alg":"RS256","kid":"key-1"}')}.${b64("[1,")}.c2ln`],
    ["not three parts", () => "only.two"],
    ["empty", () => ""],
    ["unknown kid", (claims) => idp.sign(claims, { kid: "key-that-does-not-exist" })],
    [
      "alg none",
      (claims) => `${b64('{"alg":"none","kid":"key-1"}')}.${b64(JSON.stringify(claims))}.`,
    ],
    [
      "HS256 keyed with the public key",
      (claims) =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: "HS256", kid: "key-1" })
          .sign(new TextEncoder().encode(idp.publicPem)),
    ],
    [
      "another key under the same kid",
      async (claims) =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: "RS256", kid: "key-1" })
          .sign((await generateKeyPair("RS256")).privateKey),
    ],
    [
      "another issuer",
      (claims) => idp.sign({ ...claims, iss: "https://team.cloudflareaccess.com" }),
    ],
    ["another audience", (claims) => idp.sign({ ...claims, aud: "someone-else" })],
    ["another nonce", (claims) => idp.sign({ ...claims, nonce: "replayed" })],
    ["expired", (claims) => idp.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 600 })],
    [
      "not yet valid",
      (claims) => idp.sign({ ...claims, nbf: Math.floor(Date.now() / 1000) + 600 }),
    ],
  ];
}

test("defect 1: a malformed or adversarial id_token is a 4xx page, never a 500, and the sign-in can be retried", async () => {
  const { idp, proxy } = await setUp();
  const browser = new ScriptedBrowser();
  const clientId = await registerClient(proxy.origin);
  const request = authorizationRequest(proxy.origin, clientId);
  const consent = await browser.get(request.url);
  let toAccess = location(
    await browser.post(request.url, {
      handle: consentHandle(await consent.text()),
      decision: "approve",
    }),
  );

  for (const [name, maker] of adversarialIdTokens(idp)) {
    idp.issueIdTokens(maker);
    const callback = await browser.get(location(await browser.get(toAccess)));
    const html = await callback.text();
    expect(callback.status, name).toBe(400);
    expect(callback.headers.get("content-type"), name).toBe("text/html; charset=utf-8");
    expect(html, name).toMatch(/The sign-in could not (be verified|be completed)/);
    toAccess = new URL(retryLink(html));
  }

  idp.issueIdTokens(undefined);
  const success = await browser.get(location(await browser.get(toAccess)));
  const back = location(success);
  expect(back.searchParams.get("state")).toBe(request.state);
  const tokens = await exchangeCode(
    proxy.origin,
    clientId,
    back.searchParams.get("code")!,
    request.verifier,
  );
  expect((await bindingFetch(proxy.origin, tokens.access_token)).status).toBe(200);
});

test("defect 2: the consent POST trusts nothing from the form but the handle, and only in the browser it was issued to", async () => {
  const { proxy } = await setUp();
  const victimClient = await registerClient(proxy.origin);
  const attackerRedirect = "http://127.0.0.1:4444/steal";
  const attackerClient = await registerClient(proxy.origin, attackerRedirect);
  const request = authorizationRequest(proxy.origin, victimClient);
  const browser = new ScriptedBrowser();
  const handle = consentHandle(await (await browser.get(request.url)).text());

  // Another browser with the handle (a forged cross-site post) is refused.
  const elsewhere = await ScriptedBrowser.fresh().post(request.url, {
    handle,
    decision: "approve",
  });
  expect(elsewhere.status).toBe(400);
  expect(await elsewhere.text()).toContain("This sign-in cannot continue");

  // Tampered hidden fields are ignored: the request comes from the server's own storage.
  const approved = await browser.post(request.url, [
    ["handle", handle],
    ["decision", "approve"],
    ["client_id", attackerClient],
    ["redirect_uri", attackerRedirect],
    ["state", "attacker-state"],
    ["scope", "everything"],
  ]);
  const toCallback = location(await browser.get(location(approved)));
  const back = location(await browser.get(toCallback));
  expect(back.origin + back.pathname).toBe(REDIRECT_URI);
  expect(back.searchParams.get("state")).toBe(request.state);
  const tokens = await exchangeCode(
    proxy.origin,
    victimClient,
    back.searchParams.get("code")!,
    request.verifier,
  );
  expect(tokens.access_token).toEqual(expect.any(String));

  // The handle works once.
  const again = await browser.post(request.url, { handle, decision: "approve" });
  expect(again.status).toBe(400);
});

test("defect 3: the upstream state survives a denial, a missing code, a failed exchange and a failed verification, and is single-use after success", async () => {
  const { idp, proxy } = await setUp();
  const browser = new ScriptedBrowser();
  const clientId = await registerClient(proxy.origin);
  const request = authorizationRequest(proxy.origin, clientId);
  const consent = await browser.get(request.url);
  let toAccess = location(
    await browser.post(request.url, {
      handle: consentHandle(await consent.text()),
      decision: "approve",
    }),
  );
  const attempt = async (arrange: () => void, status: number, text: string) => {
    arrange();
    const toCallback = location(await browser.get(toAccess));
    // The callback in another browser is refused, and does not spend the state either.
    expect((await ScriptedBrowser.fresh().get(toCallback)).status).toBe(400);
    const callback = await browser.get(toCallback);
    const html = await callback.text();
    expect(callback.status, text).toBe(status);
    expect(html).toContain(text);
    toAccess = new URL(retryLink(html));
  };

  await attempt(() => idp.denyNext("access_denied"), 403, "Cloudflare Access did not sign you in");
  await attempt(() => idp.dropNextCode(), 400, "Cloudflare Access sent no code");
  await attempt(() => idp.refuseNextExchange(), 400, "Access refused the code (invalid_grant)");
  await attempt(
    () => idp.issueIdTokens((claims) => idp.sign({ ...claims, aud: "x" })),
    400,
    "could not be verified",
  );
  idp.issueIdTokens(undefined);
  await attempt(
    () => idp.signInAs("mallory@elsewhere.example"),
    403,
    "This account may not use this proxy server",
  );

  idp.signInAs("ada@example.com");
  const toCallback = location(await browser.get(toAccess));
  const success = await browser.get(toCallback);
  expect(location(success).searchParams.get("state")).toBe(request.state);
  // Single use: the same callback again (a replay) finds nothing.
  const replay = await browser.get(toCallback);
  expect(replay.status).toBe(400);
  expect(await replay.text()).toContain("expired, was already used");
});

test("defect 4: no email or token in any log line or in the grant store's clear fields; the user id is a keyed hash", async () => {
  const { idp, proxy } = await setUp({ allowedDomains: "example.com", allowedEmails: "" });
  const email = "Grace.Hopper@Example.com";
  idp.signInAs(email);
  const browser = new ScriptedBrowser();
  const clientId = await registerClient(proxy.origin);
  const request = authorizationRequest(proxy.origin, clientId);
  // A failure first, so error paths are covered too.
  idp.issueIdTokens((claims) => idp.sign({ ...claims, nonce: "wrong" }));
  const steps = await signIn(browser, request.url);
  expect(steps.callback.status).toBe(400);
  idp.issueIdTokens(undefined);
  const back = location(
    await browser.get(location(await browser.get(retryLink(await steps.callback.text())))),
  );
  const code = back.searchParams.get("code")!;
  const tokens = await exchangeCode(proxy.origin, clientId, code, request.verifier);
  const refreshed = await tokenRequest(proxy.origin, {
    grant_type: "refresh_token",
    refresh_token: tokens.refresh_token,
    client_id: clientId,
  });
  await bindingFetch(proxy.origin, refreshed.body.access_token as string);
  await bindingFetch(proxy.origin, "garbage-token");

  const secrets = [
    email,
    email.toLowerCase(),
    "grace.hopper",
    tokens.access_token,
    tokens.refresh_token,
    refreshed.body.access_token as string,
    refreshed.body.refresh_token as string,
    code,
  ];
  const kv = await proxy.mf.getKVNamespace("OAUTH_KV", "proxy");
  const stored: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list(cursor ? { cursor } : {});
    for (const key of page.keys) {
      const { value, metadata } = await kv.getWithMetadata(key.name);
      stored.push(key.name, value ?? "", JSON.stringify(metadata ?? null));
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  const everything = [...stored, ...proxy.logs].join("\n").toLowerCase();
  for (const secret of secrets) expect(everything).not.toContain(secret.toLowerCase());

  const expectedUserId = createHmac("sha256", USER_ID_KEY)
    .update(`user:${email.toLowerCase()}`)
    .digest("base64url");
  const grants = (await kv.list({ prefix: "grant:" })).keys;
  expect(grants).toHaveLength(1);
  expect(grants[0]!.name.startsWith(`grant:${expectedUserId}:`)).toBe(true);
  const grant = JSON.parse((await kv.get(grants[0]!.name)) ?? "{}") as Record<string, unknown>;
  expect(grant).toMatchObject({ userId: expectedUserId, metadata: {} });
  expect(grant.props).toBeUndefined();
  expect(typeof grant.encryptedProps).toBe("string");
});
