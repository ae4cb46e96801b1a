import { describe, expect, it } from "vitest";
import { startAccessEmulator } from "../src/index.js";
import { useAccessEmulator, useOidcEmulator } from "./emulator-fixture.js";
import { expectOAuthError } from "./oidc-client.js";

describe("OIDC discovery and keys", () => {
  it("publishes the discovery document under the app-scoped issuer path", async () => {
    const access = await useOidcEmulator({ clientId: "my-saas-app", refreshTokenLifetime: "24h" });
    const local = `${access.url}/cdn-cgi/access/sso/oidc/my-saas-app`;
    expect(access.oidc.discoveryUrl).toBe(`${local}/.well-known/openid-configuration`);

    const response = await fetch(access.oidc.discoveryUrl);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      issuer: "https://acme.cloudflareaccess.com/cdn-cgi/access/sso/oidc/my-saas-app",
      authorization_endpoint: `${local}/authorization`,
      token_endpoint: `${local}/token`,
      userinfo_endpoint: `${local}/userinfo`,
      jwks_uri: `${local}/jwks`,
      response_types_supported: ["code"],
      response_modes_supported: ["query"],
      grant_types_supported: ["authorization_code", "refresh_token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid", "email", "profile"],
      claims_supported: expect.arrayContaining([
        "iss",
        "sub",
        "aud",
        "exp",
        "iat",
        "nonce",
        "email",
      ]),
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      code_challenge_methods_supported: ["S256"],
    });
    expect(access.oidc.issuer).toBe(
      "https://acme.cloudflareaccess.com/cdn-cgi/access/sso/oidc/my-saas-app",
    );
  });

  it("with issuer emulator-url, the issuer is where the document is served", async () => {
    const access = await useOidcEmulator({ issuer: "emulator-url" });
    const document = (await (await fetch(access.oidc.discoveryUrl)).json()) as { issuer: string };
    expect(document.issuer).toBe(`${access.url}/cdn-cgi/access/sso/oidc/${access.oidc.clientId}`);
    expect(`${document.issuer}/.well-known/openid-configuration`).toBe(access.oidc.discoveryUrl);
    expect(access.oidc.issuer).toBe(document.issuer);
  });

  it("serves the Access signing keys as the JWKS", async () => {
    const access = await useOidcEmulator();
    const jwks = (await (await fetch(access.oidc.jwksUri)).json()) as { keys: unknown[] };
    const certs = (await (await fetch(access.certsUrl)).json()) as { keys: unknown[] };
    expect(jwks).toEqual({ keys: certs.keys });
    expect(jwks.keys).toHaveLength(2);
  });

  it("answers an unknown client id or endpoint with 404 OAuth JSON", async () => {
    const access = await useOidcEmulator();
    await expectOAuthError(
      await fetch(`${access.url}/cdn-cgi/access/sso/oidc/nobody/.well-known/openid-configuration`),
      404,
      "invalid_request",
    );
    await expectOAuthError(
      await fetch(`${access.url}/cdn-cgi/access/sso/oidc/${access.oidc.clientId}/introspect`),
      404,
      "invalid_request",
    );
  });

  it("without the oidc option: the endpoints answer 404 and reading access.oidc throws", async () => {
    const access = await useAccessEmulator({ type: "self_hosted" });
    await expectOAuthError(
      await fetch(`${access.url}/cdn-cgi/access/sso/oidc/x/token`, { method: "POST" }),
      404,
      "invalid_request",
    );
    expect(() => access.oidc).toThrow(expect.objectContaining({ code: "ERR_NO_OIDC_APPLICATION" }));
  });

  it.each([
    [{ redirectUris: [] }, /oidc\.redirectUris/],
    [{ redirectUris: ["/relative"] }, /oidc\.redirectUris\[0\]/],
    [{ redirectUris: ["http://a.example/cb#frag"] }, /without a fragment/],
    [{ redirectUris: ["http://a.example/cb"], clientId: "has/slash" }, /oidc\.clientId/],
    [{ redirectUris: ["http://a.example/cb"], scopes: ["email"] }, /oidc\.scopes/],
    [
      { redirectUris: ["http://a.example/cb"], accessTokenLifetime: "5 minutes" },
      /oidc\.accessTokenLifetime/,
    ],
    [{ redirectUris: ["http://a.example/cb"], clientSecret: "short" }, /oidc\.clientSecret/],
    [{ redirectUris: ["http://a.example/cb"], issuer: "https://x" }, /oidc\.issuer/],
  ])("refuses bad options with ERR_INVALID_OPTION naming the option: %j", async (oidc, message) => {
    await expect(
      startAccessEmulator({
        origin: { url: "http://127.0.0.1:9" },
        application: { type: "self_hosted" },
        oidc: oidc as never,
      }),
    ).rejects.toMatchObject({
      code: "ERR_INVALID_OPTION",
      message: expect.stringMatching(message),
    });
  });
});
