// End to end (issue 14): the OAuth-mode proxy in workerd signs people in through the Access
// emulator's Access for SaaS (OIDC) application, and access-bridge's own login client
// (`login({ remote })`) signs in by the localhost and relay transports; then the bindings are
// reached with the bearer token, refreshed, revoked, and refused to someone off the allow list.
import { startAccessEmulator, type AccessEmulator } from "@access-bridge/access-emulator";
import { expect, onTestFinished, test } from "vitest";
import {
  accessTokenSource,
  getAccessToken,
  login,
  logout,
  type LoginPrompt,
} from "@access-bridge/auth-relay";
import { startRelay } from "@access-bridge/test-support/start-relay";
import { tempStore } from "@access-bridge/test-support/temp-store";
import { location, ScriptedBrowser, signIn } from "@access-bridge/test-support/oauth-browser";
import { bindingFetch, greetOverRpc } from "@access-bridge/test-support/oauth-client";
import {
  startOAuthProxy,
  type OAuthProxyOptions,
} from "@access-bridge/test-support/start-oauth-proxy";

const ORIGIN_WORKER = `export default { fetch: () => new Response("not used", { status: 404 }) };`;

/**
 * The proxy starts first (its callback URL must be registered with Access), then the emulator
 * with that redirect URL, then the proxy is pointed at the emulator's app-scoped issuer.
 */
async function proxyBehindAccessSaas(options: Partial<OAuthProxyOptions> = {}) {
  const proxy = await startOAuthProxy({
    issuer: "https://team.cloudflareaccess.com/cdn-cgi/access/sso/oidc/pending",
    clientId: "pending",
    clientSecret: "pending",
    allowedDomains: "example.com",
    ...options,
  });
  const access: AccessEmulator = await startAccessEmulator({
    origin: { worker: { modules: true, script: ORIGIN_WORKER } },
    application: { type: "self_hosted" },
    oidc: {
      redirectUris: [`${proxy.origin}/oauth/callback`],
      clientId: "access-bridge-proxy",
      // Endpoints and `iss` under the emulator's own URL, as Access serves both under the team domain.
      issuer: "emulator-url",
      allowedEmailDomains: ["example.com", "other.example"],
    },
  });
  onTestFinished(() => access.dispose());
  await proxy.reconfigure({
    issuer: access.oidc.issuer,
    clientId: access.oidc.clientId,
    clientSecret: access.oidc.clientSecret,
  });
  access.oidc.signIn("ada@example.com");
  return { proxy, access };
}

/** The prompt `login` shows, as a promise: the test plays the user itself. */
function promptCatcher(): {
  prompted: Promise<LoginPrompt>;
  onPrompt: (prompt: LoginPrompt) => void;
} {
  let onPrompt: (prompt: LoginPrompt) => void = () => undefined;
  const prompted = new Promise<LoginPrompt>((resolve) => (onPrompt = resolve));
  return { prompted, onPrompt };
}

/** Plays the user in the browser the prompt names: consent, Access, back to the CLI's callback. */
const browserUser = (prompt: LoginPrompt) => {
  const browser = new ScriptedBrowser();
  void signIn(browser, prompt.url).then(({ callback }) => browser.get(location(callback)));
};

test("login by the localhost transport through Access for SaaS, then HTTP and RPC with the bearer token", async () => {
  const { proxy, access } = await proxyBehindAccessSaas();
  const store = await tempStore();
  const result = await login({
    remote: proxy.origin,
    transport: "localhost",
    openBrowser: false,
    store,
    onPrompt: browserUser,
  });
  expect(result).toMatchObject({ remote: proxy.origin, transport: "localhost" });
  expect(access.oidc.events.map((event) => event.endpoint)).toEqual(
    expect.arrayContaining(["authorization", "token"]),
  );

  const token = await getAccessToken({ remote: proxy.origin, store });
  expect((await bindingFetch(proxy.origin, token)).status).toBe(200);
  expect(await greetOverRpc(proxy.origin, token)).toBe("hello ada");
});

test("login by the relay transport through Access for SaaS", async () => {
  const { proxy } = await proxyBehindAccessSaas();
  const relay = await startRelay();
  const store = await tempStore();
  const result = await login({
    remote: proxy.origin,
    relayUrl: relay.origin,
    openBrowser: false,
    store,
    onPrompt: browserUser,
  });
  expect(result.transport).toBe("relay");
  const token = await getAccessToken({ remote: proxy.origin, store });
  expect((await bindingFetch(proxy.origin, token)).status).toBe(200);
});

test("expiry and refresh mid-session, then revocation by logout", async () => {
  const { proxy } = await proxyBehindAccessSaas({ accessTokenTtl: 60 });
  const store = await tempStore();
  await login({
    remote: proxy.origin,
    transport: "localhost",
    openBrowser: false,
    store,
    onPrompt: browserUser,
  });
  const first = (await store.read(`remote ${proxy.origin}`))?.accessToken;
  const source = accessTokenSource({ remote: proxy.origin, store });
  const refreshed = await source.token();
  expect(refreshed).not.toBe(first);
  expect((await bindingFetch(proxy.origin, refreshed)).status).toBe(200);

  expect(await logout({ remote: proxy.origin, store })).toMatchObject({
    revoked: true,
    removed: true,
  });
  expect((await bindingFetch(proxy.origin, refreshed)).status).toBe(401);
  await expect(source.token()).rejects.toMatchObject({ code: "ERR_NOT_LOGGED_IN" });
});

test("someone Access lets in but the proxy's allow list does not: a 403 page, no grant, and a retry link", async () => {
  const { proxy, access } = await proxyBehindAccessSaas({ allowedDomains: "example.com" });
  access.oidc.signIn("bob@other.example");
  const cancel = new AbortController();
  const { prompted, onPrompt } = promptCatcher();
  const attempt = login({
    remote: proxy.origin,
    transport: "localhost",
    openBrowser: false,
    store: await tempStore(),
    signal: cancel.signal,
    onPrompt,
  });
  const { callback } = await signIn(new ScriptedBrowser(), (await prompted).url);
  expect(callback.status).toBe(403);
  expect(await callback.text()).toContain("Sign in again");
  cancel.abort();
  await expect(attempt).rejects.toMatchObject({ code: "ERR_LOGIN_ABORTED" });
  const grants = await (
    await proxy.mf.getKVNamespace("OAUTH_KV", "proxy")
  ).list({ prefix: "grant:" });
  expect(grants.keys).toEqual([]);
});

test("Access refuses the sign-in (its own policy): the proxy shows the denial with a retry link", async () => {
  const { proxy, access } = await proxyBehindAccessSaas();
  access.oidc.failNextAuthorization("access_denied");
  const browser = new ScriptedBrowser();
  const { prompted, onPrompt } = promptCatcher();
  const attempt = login({
    remote: proxy.origin,
    transport: "localhost",
    openBrowser: false,
    store: await tempStore(),
    onPrompt,
  });
  const denied = await signIn(browser, (await prompted).url);
  expect(denied.callback.status).toBe(403);
  const html = await denied.callback.text();
  expect(html).toContain("Access answered &#34;access_denied&#34;.");
  // The same sign-in, retried: Access lets Ada in this time and the CLI finishes its login.
  const retry = /<a href="([^"]+)">Sign in again<\/a>/
    .exec(html)![1]!
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)));
  const back = location(await browser.get(location(await browser.get(retry))));
  await browser.get(back);
  await expect(attempt).resolves.toMatchObject({ remote: proxy.origin });
});
