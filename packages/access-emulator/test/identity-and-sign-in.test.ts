import { describe, expect, it } from "vitest";
import { expectBlockPage, serviceTokenHeaders, useAccessEmulator } from "./emulator-fixture.js";

describe("GET /cdn-cgi/access/get-identity", () => {
  it("returns the identity behind a valid user token", async () => {
    const access = await useAccessEmulator({ type: "self_hosted" });
    const jwt = await access.issueUserToken("dev@example.com");
    const response = await fetch(`${access.url}/cdn-cgi/access/get-identity`, {
      headers: { cookie: `CF_Authorization=${jwt}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      email: "dev@example.com",
      user_uuid: expect.any(String),
      idp: { type: "emulator" },
    });
  });

  it("returns the service token's common name for a service token", async () => {
    const access = await useAccessEmulator({ type: "service_auth_only" });
    const token = access.createServiceToken();
    const response = await fetch(`${access.url}/cdn-cgi/access/get-identity`, {
      headers: serviceTokenHeaders(token),
    });
    expect(await response.json()).toMatchObject({
      common_name: token.clientId,
      service_token_status: true,
    });
  });

  it("answers 401 without a valid token", async () => {
    const access = await useAccessEmulator({ type: "self_hosted" });
    const response = await fetch(`${access.url}/cdn-cgi/access/get-identity`, {
      headers: { "cf-access-token": "expired.or.forged" },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ reason: "token_malformed" });
  });
});

describe("the emulator's sign-in page", () => {
  it("offers the allowed emails, says it is an emulator, and signs in with a cookie", async () => {
    const access = await useAccessEmulator({
      type: "self_hosted",
      allowedEmails: ["dev@example.com"],
    });
    const blocked = await fetch(`${access.url}/dashboard?tab=2`, { redirect: "manual" });
    const login = new URL(blocked.headers.get("location")!);
    // Access's login page lives on the team domain; the emulator serves it on its own origin.
    const signInUrl = `${access.url}${login.pathname}${login.search}`;
    expect(signInUrl.startsWith(access.loginUrl)).toBe(true);

    const page = await fetch(signInUrl);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('value="dev@example.com"');
    expect(html).toContain("local Cloudflare Access emulator");
    expect(html).toContain('name="redirect_url" value="/dashboard?tab=2"');

    const signedIn = await fetch(signInUrl, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ email: "dev@example.com", redirect_url: "/dashboard?tab=2" }),
    });
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("location")).toBe("/dashboard?tab=2");
    const cookie = signedIn.headers.get("set-cookie")!.split(";")[0]!;
    const back = await fetch(`${access.url}/dashboard?tab=2`, { headers: { cookie } });
    expect(back.status).toBe(200);
    expect(access.decisions.at(-1)).toMatchObject({
      credential: "cookie",
      identity: "dev@example.com",
    });
  });

  it("refuses an email the policy does not allow", async () => {
    const access = await useAccessEmulator({
      type: "self_hosted",
      allowedEmailDomains: ["example.com"],
    });
    const response = await fetch(access.loginUrl, {
      method: "POST",
      body: new URLSearchParams({ email: "mallory@evil.example", redirect_url: "/" }),
    });
    await expectBlockPage(response, "email_not_allowed");
  });

  it("never redirects off the application after sign-in", async () => {
    const access = await useAccessEmulator({ type: "self_hosted" });
    for (const target of ["https://evil.example/", "//evil.example/x", "/\\evil.example"]) {
      const response = await fetch(access.loginUrl, {
        method: "POST",
        redirect: "manual",
        body: new URLSearchParams({ email: "dev@example.com", redirect_url: target }),
      });
      expect(response.headers.get("location"), target).toBe("/");
    }
  });
});
