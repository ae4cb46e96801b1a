// Who may sign in and how often, what every OAuth answer carries, and what a misconfigured
// deployment says: the policy around the OAuth mode's sign-in.
import { describe, expect, test } from "vitest";
import { isAllowed, parseAllowList } from "../../src/workers/oauth/allow-list.js";
import { location, ScriptedBrowser, signIn } from "@access-bridge/test-support/oauth-browser";
import {
  authorizationRequest,
  bindingFetch,
  logIn,
  registerClient,
  tokenRequest,
} from "@access-bridge/test-support/oauth-client";
import { setUp } from "@access-bridge/test-support/oauth-setup";
import { CLIENT_SECRET } from "@access-bridge/test-support/test-identity-provider";

describe("the allow list", () => {
  test("emails and domains compare case-insensitively; a domain admits only itself", () => {
    const list = parseAllowList("Ada@Example.com, grace@navy.mil", "@Corp.Example  other.example");
    expect(isAllowed(list, "ada@example.com")).toBe(true);
    expect(isAllowed(list, "ADA@EXAMPLE.COM")).toBe(true);
    expect(isAllowed(list, " Grace@Navy.Mil ")).toBe(true);
    expect(isAllowed(list, "anyone@corp.example")).toBe(true);
    expect(isAllowed(list, "anyone@CORP.EXAMPLE")).toBe(true);
    expect(isAllowed(list, "x@other.example")).toBe(true);
    for (const refused of [
      "ada@example.org",
      "eve@evil-corp.example",
      "eve@sub.corp.example",
      "eve@corp.example.evil",
      "corp.example",
      "@corp.example",
      "eve@",
      "",
      undefined,
      42,
    ]) {
      expect(isAllowed(list, refused), String(refused)).toBe(false);
    }
    expect(isAllowed(parseAllowList("", ""), "ada@example.com")).toBe(false);
  });

  test("an email in another case signs in; one outside the list gets a 403 page and no grant", async () => {
    const { idp, proxy } = await setUp({
      allowedEmails: "ada@example.com",
      allowedDomains: "navy.mil",
    });
    idp.signInAs("ADA@Example.COM");
    expect((await bindingFetch(proxy.origin, (await logIn(proxy)).access_token)).status).toBe(200);
    idp.signInAs("Grace@NAVY.mil");
    expect((await bindingFetch(proxy.origin, (await logIn(proxy)).access_token)).status).toBe(200);

    idp.signInAs("eve@navy.mil.evil.example");
    const clientId = await registerClient(proxy.origin);
    const { callback } = await signIn(
      new ScriptedBrowser(),
      authorizationRequest(proxy.origin, clientId).url,
    );
    expect(callback.status).toBe(403);
    expect(await callback.text()).toContain("This account may not use this proxy server");
    const grants = await (
      await proxy.mf.getKVNamespace("OAUTH_KV", "proxy")
    ).list({ prefix: "grant:" });
    expect(grants.keys).toHaveLength(2);
  });

  test("taking someone off the list ends their binding calls at once and their grant at the next refresh", async () => {
    const { proxy } = await setUp({ allowedEmails: "ada@example.com grace@example.com" });
    const tokens = await logIn(proxy);
    expect((await bindingFetch(proxy.origin, tokens.access_token)).status).toBe(200);

    await proxy.reconfigure({ allowedEmails: "grace@example.com" });
    const refused = await bindingFetch(proxy.origin, tokens.access_token);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("may no longer use this proxy server");
    const refresh = await tokenRequest(proxy.origin, {
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token,
      client_id: tokens.clientId,
    });
    expect(refresh).toMatchObject({ status: 400, body: { error: "invalid_grant" } });

    // Back on the list, the old grant stays revoked: they must sign in again.
    await proxy.reconfigure({ allowedEmails: "ada@example.com" });
    const again = await tokenRequest(proxy.origin, {
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token,
      client_id: tokens.clientId,
    });
    expect(again.status).toBe(400);
  });
});

test("per-IP rate limiting on the token endpoint: 429, Retry-After, an RFC 6749 error body", async () => {
  const { proxy } = await setUp({ rateLimit: 3 });
  const statuses: number[] = [];
  let last: Awaited<ReturnType<typeof tokenRequest>> | undefined;
  for (let i = 0; i < 4; i++) {
    last = await tokenRequest(proxy.origin, {
      grant_type: "refresh_token",
      refresh_token: "x",
      client_id: "y",
    });
    statuses.push(last.status);
  }
  // Unknown client: 401 invalid_client until the budget is spent.
  expect(statuses).toEqual([401, 401, 401, 429]);
  expect(last?.headers.get("retry-after")).toBe("60");
  expect(last?.body).toMatchObject({ error: "temporarily_unavailable" });
  const authorize = await fetch(`${proxy.origin}/oauth/authorize`);
  expect(authorize.status).toBe(429);
  // Binding traffic is not counted against the sign-in endpoints' budget.
  expect((await bindingFetch(proxy.origin, undefined)).status).toBe(401);
});

test("security headers on the consent page, the callback, metadata and token answers", async () => {
  const { proxy } = await setUp();
  const clientId = await registerClient(proxy.origin);
  const { consent, toCallback } = await signIn(
    new ScriptedBrowser(),
    authorizationRequest(proxy.origin, clientId).url,
  );
  const replayed = await fetch(toCallback, { redirect: "manual" });
  const answers = [
    consent,
    replayed,
    await fetch(`${proxy.origin}/.well-known/oauth-authorization-server`),
    await fetch(`${proxy.origin}/.well-known/oauth-protected-resource`),
    (await tokenRequest(proxy.origin, { grant_type: "nope" })) as unknown as Response,
    await bindingFetch(proxy.origin, undefined),
  ];
  for (const answer of answers) {
    expect(answer.headers.get("strict-transport-security")).toBe(
      "max-age=31536000; includeSubDomains",
    );
    expect(answer.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(answer.headers.get("referrer-policy")).toBe("no-referrer");
    expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
  }
  expect(consent.headers.get("cache-control")).toBe("no-store");
});

test("S256 only: a plain or missing code challenge is refused before any consent page", async () => {
  const { proxy } = await setUp();
  const clientId = await registerClient(proxy.origin);
  const request = new URL(authorizationRequest(proxy.origin, clientId).url);
  request.searchParams.set("code_challenge_method", "plain");
  const plain = await fetch(request, { redirect: "manual" });
  expect(plain.status).toBe(302);
  expect(location(plain).searchParams.get("error")).toBe("invalid_request");
  request.searchParams.delete("code_challenge");
  request.searchParams.delete("code_challenge_method");
  expect(location(await fetch(request, { redirect: "manual" })).searchParams.get("error")).toBe(
    "invalid_request",
  );
});

test.each([
  ["OAUTH_ACCESS_ISSUER", undefined, "OAUTH_ACCESS_ISSUER is not set"],
  [
    "OAUTH_ACCESS_ISSUER",
    "http://team.example/oidc",
    "must be the Access for SaaS app's https issuer",
  ],
  ["OAUTH_USER_ID_KEY", "short", "at least 32 characters"],
  ["OAUTH_ACCESS_TOKEN_TTL", "10", "at least 60"],
  ["OAUTH_ALLOWED_EMAILS", "", "nobody may sign in"],
  ["OAUTH_SESSION_RECHECK_SECONDS", "61", "from 1 to 60"],
  ["OAUTH_SESSION_RECHECK_SECONDS", "0", "from 1 to 60"],
] as const)(
  "misconfigured %s: 500 naming the setting, never its secret",
  async (name, value, message) => {
    const { proxy } = await setUp({ vars: { [name]: value } });
    const response = await fetch(`${proxy.origin}/.well-known/oauth-authorization-server`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).toContain(message);
    expect(text).not.toContain(CLIENT_SECRET);
  },
);
