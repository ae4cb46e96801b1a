// Claims the OAuth mode's README makes that no other test holds (issue 18): exact redirect URIs
// for a client registered the ordinary way (RFC 7591), an id_token whose `azp` names another
// party, and tokens bound to the deployment that issued them (RFC 8707 audience).
import path from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { expect, onTestFinished, test } from "vitest";
import { WORKERS_COMPATIBILITY_DATE } from "@access-bridge/conventions";
import {
  consentHandle,
  location,
  ScriptedBrowser,
} from "@access-bridge/test-support/oauth-browser";
import {
  authorizationRequest,
  bindingFetch,
  logIn,
  registerClient,
  tokenRequest,
} from "@access-bridge/test-support/oauth-client";
import { setUp } from "@access-bridge/test-support/oauth-setup";
import { OAUTH_PROXY_BUNDLE, USER_ID_KEY } from "@access-bridge/test-support/start-oauth-proxy";
import {
  CLIENT_ID,
  CLIENT_SECRET,
  startTestIdentityProvider,
} from "@access-bridge/test-support/test-identity-provider";

const REGISTERED = "https://app.example/callback";

const DIFFERENT_REDIRECT_URIS: [difference: string, redirectUri: string][] = [
  ["the registered URI is a prefix of it", "https://app.example/callbackx"],
  ["it is a prefix of the registered URI", "https://app.example/call"],
  ["a suffix on the host", "https://app.example.evil.example/callback"],
  ["an extra path segment", "https://app.example/callback/extra"],
  ["another port", "https://app.example:8443/callback"],
  ["userinfo before the host", "https://evil@app.example/callback"],
  ["the host as userinfo", "https://app.example@evil.example/callback"],
  ["another case in the path", "https://app.example/Callback"],
  ["a fragment", "https://app.example/callback#x"],
  ["an added query", "https://app.example/callback?next=evil"],
  ["http instead of https", "http://app.example/callback"],
  ["an encoded traversal out of it", "https://app.example/callback/%2e%2e/evil"],
  ["an encoded traversal into it", "https://app.example/evil/..%2Fcallback"],
  ["a traversal into it", "https://app.example/evil/../callback"],
  ["an encoded slash", "https://app.example%2Fcallback"],
];

test("a registered (DCR) client: a redirect URI that differs from the registered one in any way is refused on the page, never redirected to", async () => {
  const { proxy } = await setUp();
  const clientId = await registerClient(proxy.origin, REGISTERED);
  for (const [difference, redirectUri] of DIFFERENT_REDIRECT_URIS) {
    const response = await fetch(authorizationRequest(proxy.origin, clientId, redirectUri).url, {
      redirect: "manual",
    });
    expect(response.status, difference).toBe(400);
    expect(response.headers.get("location"), difference).toBeNull();
    expect(await response.text(), difference).toContain("This sign-in cannot continue");
  }
  // The exact URI is accepted, so each refusal above was the difference.
  const exact = await fetch(authorizationRequest(proxy.origin, clientId, REGISTERED).url, {
    redirect: "manual",
  });
  expect(exact.status).toBe(200);
});

test("a registered loopback redirect URI: any port is accepted (RFC 8252 §7.3), never another path or host; the code only with the URI it was issued for", async () => {
  const { proxy } = await setUp();
  const registered = "http://127.0.0.1:9999/callback";
  const clientId = await registerClient(proxy.origin, registered);
  const status = async (redirectUri: string) =>
    (
      await fetch(authorizationRequest(proxy.origin, clientId, redirectUri).url, {
        redirect: "manual",
      })
    ).status;
  expect(await status("http://127.0.0.1:51234/callback")).toBe(200);
  expect(await status("http://127.0.0.1:9999/callback/extra")).toBe(400);
  expect(await status("http://127.0.0.2:9999/callback")).toBe(400);
  expect(await status("http://localhost.evil.example:9999/callback")).toBe(400);

  // Signed in with one redirect URI, the code is refused with another (RFC 6749 §4.1.3).
  const request = authorizationRequest(proxy.origin, clientId, registered);
  const browser = new ScriptedBrowser();
  const consent = await browser.get(request.url);
  const toAccess = location(
    await browser.post(request.url, {
      handle: consentHandle(await consent.text()),
      decision: "approve",
    }),
  );
  const code = location(await browser.get(location(await browser.get(toAccess)))).searchParams.get(
    "code",
  )!;
  const refused = await tokenRequest(proxy.origin, {
    grant_type: "authorization_code",
    code,
    code_verifier: request.verifier,
    client_id: clientId,
    redirect_uri: "http://127.0.0.1:9999/callback/extra",
  });
  expect(refused).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
});

test.each<[string, { aud?: string[]; azp?: string }]>([
  ["azp names another party (one audience)", { azp: "someone-else" }],
  [
    "azp names another party (several audiences)",
    { aud: [CLIENT_ID, "someone-else"], azp: "someone-else" },
  ],
  ["several audiences and no azp", { aud: [CLIENT_ID, "someone-else"] }],
])("an id_token where %s is refused at the callback", async (_case, change) => {
  const { idp, proxy } = await setUp();
  idp.issueIdTokens((claims) => idp.sign({ ...claims, ...change }));
  const clientId = await registerClient(proxy.origin);
  const request = authorizationRequest(proxy.origin, clientId);
  const browser = new ScriptedBrowser();
  const consent = await browser.get(request.url);
  const toAccess = location(
    await browser.post(request.url, {
      handle: consentHandle(await consent.text()),
      decision: "approve",
    }),
  );
  const callback = await browser.get(location(await browser.get(toAccess)));
  expect(callback.status).toBe(400);
  expect(await callback.text()).toContain("The id_token from Access was refused (azp_mismatch)");
  // The same sign-in with azp naming this client passes.
  idp.issueIdTokens((claims) => idp.sign({ ...claims, aud: [CLIENT_ID, "x"], azp: CLIENT_ID }));
  const retried = await browser.get(location(await browser.get(toAccess)));
  expect(retried.status).toBe(302);
});

/**
 * Two deployments of the OAuth mode at two origins that share one KV namespace (the worst case:
 * an operator reused the namespace), signing in through the same identity provider.
 */
async function twoDeploymentsSharingKv() {
  const idp = await startTestIdentityProvider();
  const proxy = (name: string) => ({
    name,
    modules: true,
    scriptPath: OAUTH_PROXY_BUNDLE,
    modulesRoot: path.dirname(OAUTH_PROXY_BUNDLE),
    compatibilityDate: WORKERS_COMPATIBILITY_DATE,
    compatibilityFlags: ["global_fetch_strictly_public"],
    kvNamespaces: { OAUTH_KV: "shared-oauth-kv" },
    ratelimits: {
      OAUTH_RATE_LIMITER: { namespace_id: "7001", simple: { limit: 1000, period: 60 as const } },
    },
    bindings: {
      OAUTH_ACCESS_ISSUER: idp.issuer,
      OAUTH_ACCESS_CLIENT_ID: CLIENT_ID,
      OAUTH_ACCESS_CLIENT_SECRET: CLIENT_SECRET,
      OAUTH_USER_ID_KEY: USER_ID_KEY,
      OAUTH_ALLOWED_EMAILS: "ada@example.com",
    },
    serviceBindings: { API: "api" },
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
  });
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      cf: false,
      host: "127.0.0.1",
      port: 0,
      workers: [
        proxy("staging"),
        proxy("production"),
        {
          name: "api",
          modules: true,
          script: "export default { fetch: () => new Response('api') };",
          compatibilityDate: WORKERS_COMPATIBILITY_DATE,
        },
      ],
    }),
  );
  onTestFinished(() => mf.dispose());
  await mf.ready;
  const started = async (name: string) => ({
    mf,
    origin: (await mf.unsafeGetDirectURL(name)).origin,
    logs: [] as string[],
    reconfigure: () => Promise.reject(new Error("not here")),
  });
  return { staging: await started("staging"), production: await started("production") };
}

test("a token issued by one deployment is refused by another, even when they share a KV namespace", async () => {
  const { staging, production } = await twoDeploymentsSharingKv();
  expect(staging.origin).not.toBe(production.origin);
  const tokens = await logIn(staging);
  expect((await bindingFetch(staging.origin, tokens.access_token)).status).toBe(200);

  const elsewhere = await bindingFetch(production.origin, tokens.access_token);
  expect(elsewhere.status).toBe(401);
  expect(elsewhere.headers.get("www-authenticate")).toContain('error="invalid_token"');

  // Nor does its refresh token buy a token at the other deployment (the grant names its resource).
  const refreshed = await tokenRequest(production.origin, {
    grant_type: "refresh_token",
    refresh_token: tokens.refresh_token,
    client_id: tokens.clientId,
  });
  expect(refreshed).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  // The code of one deployment is not redeemed at the other either.
  const clientId = await registerClient(staging.origin);
  const request = authorizationRequest(staging.origin, clientId);
  const browser = new ScriptedBrowser();
  const consent = await browser.get(request.url);
  const toAccess = location(
    await browser.post(request.url, {
      handle: consentHandle(await consent.text()),
      decision: "approve",
    }),
  );
  const code = location(await browser.get(location(await browser.get(toAccess)))).searchParams.get(
    "code",
  )!;
  const redeemed = await tokenRequest(production.origin, {
    grant_type: "authorization_code",
    code,
    code_verifier: request.verifier,
    client_id: clientId,
    redirect_uri: "http://127.0.0.1:9999/callback",
  });
  expect(redeemed).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  // Neither attempt touched the sign-in at the deployment that issued it.
  expect((await bindingFetch(staging.origin, tokens.access_token)).status).toBe(200);
});
