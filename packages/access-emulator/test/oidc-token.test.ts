import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
  type JSONWebKeySet,
} from "jose";
import { describe, expect, it } from "vitest";
import { useOidcEmulator } from "./emulator-fixture.js";
import {
  codeFor,
  exchangeCode,
  expectOAuthError,
  REDIRECT_URI,
  tokenRequest,
  userinfo,
  type TokenBody,
} from "./oidc-client.js";

describe("OIDC token endpoint: the authorization code grant", () => {
  it.each(["basic", "post"] as const)(
    "exchanges a code with client_secret_%s for an opaque access token and an RS256 id_token",
    async (auth) => {
      const access = await useOidcEmulator();
      const flow = await codeFor(access, "Ada@Example.com");

      const tokens = await exchangeCode(access, flow, auth);

      expect(tokens).toEqual({
        access_token: expect.stringMatching(/^[\w-]{43}$/),
        token_type: "Bearer",
        expires_in: 300,
        scope: "openid email",
        id_token: expect.any(String),
      });
      // Opaque: not a JWT.
      expect(tokens.access_token.split(".")).toHaveLength(1);
      expect(decodeProtectedHeader(tokens.id_token)).toEqual({
        alg: "RS256",
        kid: expect.stringMatching(/^[0-9a-f]{64}$/),
        typ: "JWT",
      });
      const { payload } = await jwtVerify(
        tokens.id_token,
        createRemoteJWKSet(new URL(access.oidc.jwksUri)),
        {
          algorithms: ["RS256"],
          issuer: `https://acme.cloudflareaccess.com/cdn-cgi/access/sso/oidc/${access.oidc.clientId}`,
          audience: access.oidc.clientId,
        },
      );
      expect(payload).toEqual({
        iss: access.oidc.issuer,
        aud: access.oidc.clientId,
        sub: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: "ada@example.com",
        nonce: flow.nonce,
        iat: expect.any(Number),
        exp: payload.iat! + 300,
      });
      expect(access.oidc.events.at(-1)).toEqual({
        at: expect.any(Date),
        endpoint: "token",
        outcome: "ok",
        grantType: "authorization_code",
        clientAuth: `client_secret_${auth}`,
        email: "ada@example.com",
      });
    },
  );

  it("gives a user the same sub as their Access application token", async () => {
    const access = await useOidcEmulator();
    const tokens = await exchangeCode(access, await codeFor(access, "ada@example.com"));
    const appToken = await access.issueUserToken("ada@example.com");
    expect(decodeJwt(tokens.id_token).sub).toBe(decodeJwt(appToken).sub);
  });

  it("redeems a code once; a second redemption fails and revokes the first one's tokens", async () => {
    const access = await useOidcEmulator();
    const flow = await codeFor(access, "ada@example.com");
    const tokens = await exchangeCode(access, flow);
    expect((await userinfo(access, tokens.access_token)).status).toBe(200);

    const again = await tokenRequest(access, {
      grant_type: "authorization_code",
      code: flow.code,
      redirect_uri: REDIRECT_URI,
      code_verifier: flow.pkce.verifier,
    });

    await expectOAuthError(again, 400, "invalid_grant");
    expect((await userinfo(access, tokens.access_token)).status).toBe(401);
  });

  it.each([
    ["a wrong code_verifier", { code_verifier: "x".repeat(43) }, 400, "invalid_grant"],
    ["no code_verifier", { code_verifier: undefined }, 400, "invalid_grant"],
    ["a malformed code_verifier", { code_verifier: "short" }, 400, "invalid_request"],
    ["another redirect_uri", { redirect_uri: "http://127.0.0.1:9/other" }, 400, "invalid_grant"],
    ["an unknown code", { code: "not-a-code" }, 400, "invalid_grant"],
    ["no code", { code: undefined }, 400, "invalid_request"],
    ["no grant_type", { grant_type: undefined }, 400, "invalid_request"],
    ["grant_type=password", { grant_type: "password" }, 400, "unsupported_grant_type"],
  ] as const)("answers %s with OAuth error JSON", async (_what, change, status, error) => {
    const access = await useOidcEmulator();
    const flow = await codeFor(access, "ada@example.com");
    const body: Record<string, string | undefined> = {
      grant_type: "authorization_code",
      code: flow.code,
      redirect_uri: REDIRECT_URI,
      code_verifier: flow.pkce.verifier,
      ...change,
    };
    const defined = Object.fromEntries(
      Object.entries(body).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    await expectOAuthError(await tokenRequest(access, defined), status, error);
    expect(access.oidc.events.at(-1)).toMatchObject({ endpoint: "token", outcome: "error", error });
  });

  it("refuses a wrong secret with 401 invalid_client and a Basic challenge", async () => {
    const access = await useOidcEmulator();
    const flow = await codeFor(access, "ada@example.com");
    const response = await fetch(access.oidc.tokenEndpoint, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${access.oidc.clientId}:wrong`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: flow.code,
        redirect_uri: REDIRECT_URI,
        code_verifier: flow.pkce.verifier,
      }),
    });
    expect(response.headers.get("www-authenticate")).toMatch(/^Basic /);
    await expectOAuthError(response, 401, "invalid_client");
    // The code was not spent on a client that could not authenticate.
    await exchangeCode(access, flow);
  });

  it("refuses a client that authenticates twice, or not at all", async () => {
    const access = await useOidcEmulator();
    const flow = await codeFor(access, "ada@example.com");
    const body = {
      grant_type: "authorization_code",
      code: flow.code,
      redirect_uri: REDIRECT_URI,
      code_verifier: flow.pkce.verifier,
    };
    await expectOAuthError(
      await tokenRequest(access, { ...body, client_secret: access.oidc.clientSecret }, "basic"),
      400,
      "invalid_request",
    );
    await expectOAuthError(await tokenRequest(access, body, "none"), 401, "invalid_client");
  });

  it("lets a public client redeem with PKCE alone when allowPkceWithoutClientSecret is on", async () => {
    const access = await useOidcEmulator({ allowPkceWithoutClientSecret: true });
    const flow = await codeFor(access, "ada@example.com");
    const tokens = await exchangeCode(access, flow, "none");
    expect(tokens.id_token).toBeTruthy();
    expect(access.oidc.events.at(-1)).toMatchObject({ clientAuth: "none" });
  });

  it("accepts only a form body and POST", async () => {
    const access = await useOidcEmulator();
    const json = await fetch(access.oidc.tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "authorization_code" }),
    });
    await expectOAuthError(json, 400, "invalid_request");
    const get = await fetch(access.oidc.tokenEndpoint);
    expect(get.headers.get("allow")).toBe("POST");
    await expectOAuthError(get, 405, "invalid_request");
  });

  it("fails the next token request on demand, then works again", async () => {
    const access = await useOidcEmulator();
    const flow = await codeFor(access, "ada@example.com");
    access.oidc.failNextTokenRequest("temporarily_unavailable");
    const failed = await tokenRequest(access, {
      grant_type: "authorization_code",
      code: flow.code,
      redirect_uri: REDIRECT_URI,
      code_verifier: flow.pkce.verifier,
    });
    await expectOAuthError(failed, 503, "temporarily_unavailable");
    await exchangeCode(access, flow);
    expect(() => access.oidc.failNextTokenRequest("nonsense" as never)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }),
    );
  });

  it("alters the next id_token on demand, for testing a relying party's checks, then stops", async () => {
    const access = await useOidcEmulator();
    const jwks = createRemoteJWKSet(new URL(access.oidc.jwksUri));

    access.oidc.alterNextIdToken({ claims: { aud: "someone-else", nonce: undefined } });
    const wrongAudience = await exchangeCode(access, await codeFor(access, "ada@example.com"));
    const { payload } = await jwtVerify(wrongAudience.id_token, jwks, {
      issuer: access.oidc.issuer,
    });
    expect(payload.aud).toBe("someone-else");
    expect(payload).not.toHaveProperty("nonce");
    await expect(
      jwtVerify(wrongAudience.id_token, jwks, { audience: access.oidc.clientId }),
    ).rejects.toThrow(/aud/);

    const unsigned = `${Buffer.from('{"alg":"none"}').toString("base64url")}.e30.`;
    access.oidc.alterNextIdToken({ replace: () => unsigned });
    expect((await exchangeCode(access, await codeFor(access, "ada@example.com"))).id_token).toBe(
      unsigned,
    );

    const normal = await exchangeCode(access, await codeFor(access, "ada@example.com"));
    await jwtVerify(normal.id_token, jwks, {
      issuer: access.oidc.issuer,
      audience: access.oidc.clientId,
    });
    expect(() => access.oidc.alterNextIdToken({} as never)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }),
    );
  });

  it("signs id_tokens with the rotated key; tokens of the previous key still verify", async () => {
    const access = await useOidcEmulator();
    const before = await exchangeCode(access, await codeFor(access, "ada@example.com"));
    await access.rotateKeys();
    const after = await exchangeCode(access, await codeFor(access, "ada@example.com"));

    expect(decodeProtectedHeader(after.id_token).kid).not.toBe(
      decodeProtectedHeader(before.id_token).kid,
    );
    const jwks = createLocalJWKSet(
      (await (await fetch(access.oidc.jwksUri)).json()) as JSONWebKeySet,
    );
    for (const token of [before, after] as TokenBody[]) {
      await jwtVerify(token.id_token, jwks, {
        issuer: access.oidc.issuer,
        audience: access.oidc.clientId,
      });
    }
  });
});

describe("OIDC token endpoint: refresh tokens", () => {
  async function signedIn(refreshTokenLifetime?: string) {
    const access = await useOidcEmulator(
      refreshTokenLifetime === undefined ? {} : { refreshTokenLifetime },
    );
    const flow = await codeFor(access, "ada@example.com");
    return { access, flow, tokens: await exchangeCode(access, flow) };
  }

  it("issues none unless refreshTokenLifetime is set", async () => {
    const { access, tokens } = await signedIn();
    expect(tokens.refresh_token).toBeUndefined();
    await expectOAuthError(
      await tokenRequest(access, { grant_type: "refresh_token", refresh_token: "anything" }),
      400,
      "unauthorized_client",
    );
  });

  it("rotates: a refresh gives new tokens, a fresh id_token without nonce, and retires the old refresh token", async () => {
    const { access, flow, tokens } = await signedIn("720h");
    expect(tokens.refresh_token).toMatch(/^[\w-]{43}$/);

    const refreshed = await tokenRequest(access, {
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token!,
    });
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as TokenBody;
    expect(next.refresh_token).toMatch(/^[\w-]{43}$/);
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect(next.access_token).not.toBe(tokens.access_token);
    const first = decodeJwt(tokens.id_token);
    const second = decodeJwt(next.id_token);
    expect(first.nonce).toBe(flow.nonce);
    expect(second).not.toHaveProperty("nonce");
    expect(second).toMatchObject({ iss: first.iss, sub: first.sub, aud: first.aud });
    expect((await userinfo(access, next.access_token)).status).toBe(200);
  });

  it("treats reuse of a rotated refresh token as theft: invalid_grant, and the whole grant is revoked", async () => {
    const { access, tokens } = await signedIn("720h");
    const next = (await (
      await tokenRequest(access, {
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token!,
      })
    ).json()) as TokenBody;

    const replay = await tokenRequest(access, {
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token!,
    });

    await expectOAuthError(replay, 400, "invalid_grant");
    expect((await userinfo(access, next.access_token)).status).toBe(401);
    await expectOAuthError(
      await tokenRequest(access, {
        grant_type: "refresh_token",
        refresh_token: next.refresh_token!,
      }),
      400,
      "invalid_grant",
    );
  });

  it("narrows scope on request, refuses a wider one without spending the refresh token", async () => {
    const { access, tokens } = await signedIn("720h");
    await expectOAuthError(
      await tokenRequest(access, {
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token!,
        scope: "openid email groups",
      }),
      400,
      "invalid_scope",
    );
    const narrowed = await tokenRequest(access, {
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token!,
      scope: "openid",
    });
    expect(narrowed.status).toBe(200);
    const body = (await narrowed.json()) as TokenBody;
    expect(body.scope).toBe("openid");
    expect(decodeJwt(body.id_token)).not.toHaveProperty("email");
  });

  it("stops working for a revoked user", async () => {
    const { access, tokens } = await signedIn("720h");
    access.oidc.revokeUser("ADA@example.com");
    await expectOAuthError(
      await tokenRequest(access, {
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token!,
      }),
      400,
      "invalid_grant",
    );
    expect((await userinfo(access, tokens.access_token)).status).toBe(401);
    expect(access.oidc.events.at(-1)).toMatchObject({
      endpoint: "userinfo",
      error: "invalid_token",
    });
  });
});
