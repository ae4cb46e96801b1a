import { describe, expect, it } from "vitest";
import { useOidcEmulator } from "./emulator-fixture.js";
import {
  authorizationRequest,
  authorize,
  codeFor,
  exchangeCode,
  expectOAuthError,
  userinfo,
} from "./oidc-client.js";

describe("OIDC userinfo endpoint", () => {
  it("returns the claims the access token's scope releases", async () => {
    const access = await useOidcEmulator({ scopes: ["openid", "email", "groups"] });
    const full = await exchangeCode(
      access,
      await codeFor(access, "ada@example.com", { scope: "openid email groups" }),
    );
    const narrow = await exchangeCode(
      access,
      await codeFor(access, "ada@example.com", { scope: "openid" }),
    );

    const fullClaims = await (await userinfo(access, full.access_token)).json();
    const narrowClaims = await (await userinfo(access, narrow.access_token)).json();

    expect(fullClaims).toEqual({ sub: expect.any(String), email: "ada@example.com", groups: [] });
    expect(narrowClaims).toEqual({ sub: (fullClaims as { sub: string }).sub });
  });

  it("answers 401 with a Bearer challenge: no token, a garbage token, an expired token", async () => {
    const access = await useOidcEmulator();
    const tokens = await exchangeCode(access, await codeFor(access, "ada@example.com"));

    const none = await fetch(access.oidc.userinfoEndpoint);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="Cloudflare Access OIDC"');
    await expectOAuthError(none, 401, "invalid_token");

    const garbage = await userinfo(access, "garbage");
    expect(garbage.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);
    await expectOAuthError(garbage, 401, "invalid_token");

    const basic = await fetch(access.oidc.userinfoEndpoint, {
      headers: { authorization: "Basic Zm9vOmJhcg==" },
    });
    await expectOAuthError(basic, 401, "invalid_token");

    expect((await userinfo(access, tokens.access_token)).status).toBe(200);
    access.oidc.expireAccessTokens();
    await expectOAuthError(await userinfo(access, tokens.access_token), 401, "invalid_token");
  });

  it("ends a revoked user's session: their tokens fail and /authorization asks again", async () => {
    const access = await useOidcEmulator();
    access.oidc.signIn("ada@example.com");
    const tokens = await exchangeCode(access, await codeFor(access, "ada@example.com"));
    const other = await exchangeCode(access, await codeFor(access, "bob@example.com"));

    access.oidc.revokeUser("ada@example.com");

    await expectOAuthError(await userinfo(access, tokens.access_token), 401, "invalid_token");
    expect((await userinfo(access, other.access_token)).status).toBe(200);
    const again = await authorize(access, authorizationRequest(access).params);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("Sign in");
    expect(() => access.oidc.revokeUser("not an email")).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }),
    );
  });
});
