import { describe, expect, it } from "vitest";
import { expectBlockPage, useOidcEmulator } from "./emulator-fixture.js";
import {
  authorizationRequest,
  authorize,
  callbackParams,
  codeFor,
  exchangeCode,
  expectOAuthError,
  REDIRECT_URI,
} from "./oidc-client.js";

describe("OIDC authorization endpoint", () => {
  it("signs a user in by login_hint and redirects back with a code and the state", async () => {
    const access = await useOidcEmulator();
    const request = authorizationRequest(access, { login_hint: "ada@example.com" });

    const back = callbackParams(await authorize(access, request.params));

    expect([...back.keys()].sort()).toEqual(["code", "state"]);
    expect(back.get("state")).toBe(request.state);
    expect(back.get("code")).toMatch(/^[\w-]{43}$/);
    expect(access.oidc.events.at(-1)).toMatchObject({
      endpoint: "authorization",
      outcome: "ok",
      email: "ada@example.com",
    });
  });

  it("shows the sign-in page when nobody is signed in; choosing an email completes the flow", async () => {
    const access = await useOidcEmulator({ allowedEmails: ["ada@example.com"] });
    const request = authorizationRequest(access);

    const page = await authorize(access, request.params);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("local Cloudflare Access emulator");
    expect(html).toContain('<form method="get">');
    expect(html).toContain('name="login_hint" value="ada@example.com"');
    expect(html).toContain(`name="state" value="${request.state}"`);

    // What the browser does when the button is pressed: the same query plus login_hint.
    const chosen = await authorize(access, { ...request.params, login_hint: "ada@example.com" });
    const code = callbackParams(chosen).get("code")!;
    await exchangeCode(access, { code, pkce: request.pkce });
  });

  it("uses the emulated Access session from signIn(), until signOut() or prompt=login", async () => {
    const access = await useOidcEmulator();
    access.oidc.signIn("bob@example.com");
    const quiet = authorizationRequest(access);
    expect(callbackParams(await authorize(access, quiet.params)).get("code")).toBeTruthy();
    expect(access.oidc.events.at(-1)).toMatchObject({ email: "bob@example.com" });

    const forced = await authorize(
      access,
      authorizationRequest(access, { prompt: "login" }).params,
    );
    expect(forced.status).toBe(200);
    expect(await forced.text()).toContain("Sign in");

    access.oidc.signOut();
    const none = await authorize(access, authorizationRequest(access, { prompt: "none" }).params);
    expect(callbackParams(none).get("error")).toBe("login_required");
  });

  it("blocks an email the policy does not allow with Access's block page", async () => {
    const access = await useOidcEmulator({ allowedEmailDomains: ["example.com"] });
    const response = await authorize(
      access,
      authorizationRequest(access, { login_hint: "mallory@evil.example" }).params,
    );
    await expectBlockPage(response, "email_not_allowed");
    expect(access.oidc.events.at(-1)).toMatchObject({
      outcome: "blocked",
      email: "mallory@evil.example",
    });
  });

  it.each([
    ["no client_id", { client_id: undefined }],
    ["another client_id", { client_id: "someone-else" }],
    ["no redirect_uri", { redirect_uri: undefined }],
    ["an unregistered redirect_uri", { redirect_uri: "https://evil.example/callback" }],
    [
      "a redirect_uri that only starts like a registered one",
      { redirect_uri: `${REDIRECT_URI}/x` },
    ],
  ])("answers %s with 400 JSON, never a redirect", async (_what, change) => {
    const access = await useOidcEmulator();
    const response = await authorize(
      access,
      authorizationRequest(access, { login_hint: "ada@example.com", ...change }).params,
    );
    expect(response.headers.get("location")).toBeNull();
    await expectOAuthError(response, 400, "invalid_request");
  });

  it("answers a repeated parameter with 400 JSON", async () => {
    const access = await useOidcEmulator();
    const query = new URLSearchParams(authorizationRequest(access).params);
    query.append("state", "second");
    const response = await fetch(`${access.oidc.authorizationEndpoint}?${query}`, {
      redirect: "manual",
    });
    await expectOAuthError(response, 400, "invalid_request");
  });

  it.each([
    ["response_type=token", { response_type: "token" }, "unsupported_response_type"],
    ["no response_type", { response_type: undefined }, "invalid_request"],
    ["no openid scope", { scope: "email" }, "invalid_scope"],
    ["a scope the application does not grant", { scope: "openid groups" }, "invalid_scope"],
    ["no scope", { scope: undefined }, "invalid_request"],
    ["no PKCE", { code_challenge: undefined, code_challenge_method: undefined }, "invalid_request"],
    ["PKCE plain", { code_challenge_method: "plain" }, "invalid_request"],
    ["a challenge without its method", { code_challenge_method: undefined }, "invalid_request"],
    ["a malformed challenge", { code_challenge: "abc" }, "invalid_request"],
    ["a login_hint that is not an email", { login_hint: "ada" }, "invalid_request"],
    ["prompt=none with another value", { prompt: "none login" }, "invalid_request"],
  ])(
    "sends %s back to the redirect URI as an error, with the state",
    async (_what, change, error) => {
      const access = await useOidcEmulator();
      const request = authorizationRequest(access, { login_hint: "ada@example.com", ...change });
      const back = callbackParams(await authorize(access, request.params));
      expect(back.get("error")).toBe(error);
      expect(back.get("error_description")).toEqual(expect.any(String));
      expect(back.get("state")).toBe(request.state);
      expect(back.get("code")).toBeNull();
    },
  );

  it("accepts a request without PKCE when pkce is optional", async () => {
    const access = await useOidcEmulator({ pkce: "optional" });
    const request = authorizationRequest(access, {
      login_hint: "ada@example.com",
      code_challenge: undefined,
      code_challenge_method: undefined,
    });
    expect(callbackParams(await authorize(access, request.params)).get("code")).toBeTruthy();
  });

  it("keeps the query of a registered redirect URI", async () => {
    const registered = "http://127.0.0.1:9/callback?tenant=7";
    const access = await useOidcEmulator({}, registered);
    const request = authorizationRequest(access, {
      login_hint: "ada@example.com",
      redirect_uri: registered,
    });
    const location = new URL((await authorize(access, request.params)).headers.get("location")!);
    expect(location.searchParams.get("tenant")).toBe("7");
    expect(location.searchParams.get("code")).toBeTruthy();
  });

  it("accepts the request as a POSTed form too (OIDC Core §3.1.2.1)", async () => {
    const access = await useOidcEmulator();
    const request = authorizationRequest(access, { login_hint: "ada@example.com" });
    const response = await fetch(access.oidc.authorizationEndpoint, {
      method: "POST",
      body: new URLSearchParams(request.params),
      redirect: "manual",
    });
    expect(callbackParams(response).get("state")).toBe(request.state);
  });

  it("fails the next authorization on demand with the error sent back, then works again", async () => {
    const access = await useOidcEmulator();
    access.oidc.failNextAuthorization();
    const denied = authorizationRequest(access, { login_hint: "ada@example.com" });
    const back = callbackParams(await authorize(access, denied.params));
    expect(back.get("error")).toBe("access_denied");
    expect(back.get("state")).toBe(denied.state);
    await codeFor(access, "ada@example.com");
  });
});
