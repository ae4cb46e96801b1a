// Regressions the fuzz suites found, pinned as plain examples.
import { describe, expect, it } from "vitest";
import { useAccessEmulator, useOidcEmulator } from "./emulator-fixture.js";
import { expectOAuthError } from "./oidc-client.js";

describe("hostile input, pinned", () => {
  it("a malformed %-escape in the login path gets the sign-in page, not a 500", async () => {
    const access = await useAccessEmulator({ type: "self_hosted" });
    const response = await fetch(`${access.url}/cdn-cgi/access/login/%E0%A4%A`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Sign in to %E0%A4%A");
  });

  it("a sign-in POST that is not a form gets a plain 400, not a 500", async () => {
    const access = await useAccessEmulator({ type: "self_hosted" });
    const response = await fetch(access.loginUrl, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x" },
      body: "email=dev@example.com",
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/application\/x-www-form-urlencoded/);
  });

  it("a long query leaves the login redirect readable: it returns to the path alone", async () => {
    const access = await useAccessEmulator({ type: "self_hosted" });
    const response = await fetch(`${access.url}/report?q=${"x".repeat(30_000)}`, {
      redirect: "manual",
    });
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get("location")!).searchParams.get("redirect_url")).toBe(
      "/report",
    );
  });

  it("a return path too long for a Location header sends the user to / after sign-in", async () => {
    const access = await useAccessEmulator({ type: "self_hosted" });
    const response = await fetch(access.loginUrl, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({
        email: "dev@example.com",
        redirect_url: `/${"r".repeat(20_000)}`,
      }),
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/");
  });

  it("headers past Node's 16 KiB limit reach the OIDC endpoints intact", async () => {
    const access = await useOidcEmulator();
    const response = await fetch(access.oidc.userinfoEndpoint, {
      headers: { authorization: `Bearer ${"A".repeat(40_000)}` },
    });
    await expectOAuthError(response, 401, "invalid_token");
    const query = await fetch(`${access.oidc.authorizationEndpoint}?x=${"s".repeat(20_000)}`);
    await expectOAuthError(query, 400, "invalid_request");
  });
});
