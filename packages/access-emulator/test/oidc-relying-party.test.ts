// Interoperability: openid-client (an OpenID-certified relying party library) signs in through
// the emulated Access for SaaS application with nothing but its issuer or discovery URL.
import * as client from "openid-client";
import { describe, expect, it } from "vitest";
import { useOidcEmulator } from "./emulator-fixture.js";
import { REDIRECT_URI } from "./oidc-client.js";

async function signInWith(config: client.Configuration, email: string) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const authorizationUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: "openid email",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
    login_hint: email,
  });
  const answer = await fetch(authorizationUrl, { redirect: "manual" });
  const callback = new URL(answer.headers.get("location")!);
  return client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
}

describe("a standard relying party (openid-client)", () => {
  it("discovers the application from its issuer, signs in, refreshes and reads userinfo", async () => {
    const access = await useOidcEmulator({ issuer: "emulator-url", refreshTokenLifetime: "24h" });
    const config = await client.discovery(
      new URL(access.oidc.issuer),
      access.oidc.clientId,
      access.oidc.clientSecret,
      client.ClientSecretBasic(access.oidc.clientSecret),
      { execute: [client.allowInsecureRequests] },
    );

    const tokens = await signInWith(config, "ada@example.com");
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: access.oidc.issuer, email: "ada@example.com" });

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.claims()!.sub).toBe(claims.sub);
    const info = await client.fetchUserInfo(config, refreshed.access_token, claims.sub);
    expect(info).toEqual({ sub: claims.sub, email: "ada@example.com" });
  });

  it("verifies the team-domain issuer when configured from the discovery document's URL", async () => {
    const access = await useOidcEmulator();
    const metadata = (await (
      await fetch(access.oidc.discoveryUrl)
    ).json()) as client.ServerMetadata;
    const config = new client.Configuration(
      metadata,
      access.oidc.clientId,
      access.oidc.clientSecret,
      client.ClientSecretPost(access.oidc.clientSecret),
    );
    client.allowInsecureRequests(config);

    const tokens = await signInWith(config, "bob@example.com");

    expect(tokens.claims()).toMatchObject({
      iss: `https://acme.cloudflareaccess.com/cdn-cgi/access/sso/oidc/${access.oidc.clientId}`,
      aud: access.oidc.clientId,
      email: "bob@example.com",
    });
  });
});
