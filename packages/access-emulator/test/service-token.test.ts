import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { newServiceToken } from "@access-bridge/conventions";
import {
  expectBlockPage,
  serviceTokenHeaders,
  useAccessEmulator,
  type EchoBody,
} from "./emulator-fixture.js";

describe("service tokens", () => {
  it("accepts a token minted before it started (serviceTokens), and no other", async () => {
    const early = newServiceToken();
    expect(early.clientId).toMatch(/^[0-9a-f]{32}\.access$/);
    expect(early.clientSecret).toMatch(/^[0-9a-f]{64}$/);
    const access = await useAccessEmulator({ type: "service_auth_only" }, undefined, {
      serviceTokens: [early],
    });
    const allowed = await fetch(access.url, { headers: serviceTokenHeaders(early) });
    expect(allowed.status).toBe(200);
    await allowed.body?.cancel();
    const other = newServiceToken();
    const refused = await fetch(access.url, { headers: serviceTokenHeaders(other) });
    expect(refused.status).toBe(403);
    await refused.body?.cancel();
  });

  it("forwards a request with valid CF-Access-Client-Id/Secret, adding a service assertion", async () => {
    const access = await useAccessEmulator({ type: "service_auth_only" });
    const token = access.createServiceToken();

    const response = await fetch(`${access.url}/api/items?limit=2`, {
      method: "POST",
      headers: serviceTokenHeaders(token),
      body: "payload",
    });

    expect(response.status).toBe(200);
    const echoed = (await response.json()) as EchoBody;
    expect(echoed).toMatchObject({ method: "POST", path: "/api/items?limit=2", body: "payload" });
    // The origin sees the assertion, never the service token itself.
    expect(echoed.headers["cf-access-client-id"]).toBeUndefined();
    expect(echoed.headers["cf-access-client-secret"]).toBeUndefined();
    const assertion = echoed.headers["cf-access-jwt-assertion"]!;
    expect(decodeProtectedHeader(assertion)).toMatchObject({
      alg: "RS256",
      kid: expect.any(String),
    });

    const jwks = createRemoteJWKSet(new URL(access.certsUrl));
    const { payload } = await jwtVerify(assertion, jwks, {
      algorithms: ["RS256"],
      issuer: access.teamDomain,
      audience: access.aud,
    });
    expect(payload).toMatchObject({
      type: "app",
      aud: [access.aud],
      iss: `https://access-bridge-emulator.cloudflareaccess.com`,
      common_name: token.clientId,
      sub: "",
    });
    expect(payload.exp! - payload.iat!).toBe(24 * 3600);
  });

  it("answers with a CF_Authorization cookie that works on its own afterwards", async () => {
    const access = await useAccessEmulator({ type: "service_auth_only", sessionDuration: "30m" });
    const token = access.createServiceToken();

    const first = await fetch(`${access.url}/`, { headers: serviceTokenHeaders(token) });
    const setCookie = first.headers.get("set-cookie")!;
    expect(setCookie).toMatch(
      /^CF_Authorization=[\w-]+\.[\w-]+\.[\w-]+; Path=\/; Max-Age=\d+; HttpOnly/,
    );
    expect(Number(/Max-Age=(\d+)/.exec(setCookie)![1])).toBeLessThanOrEqual(1800);

    const cookie = setCookie.split(";")[0]!;
    const second = await fetch(`${access.url}/again`, { headers: { cookie } });
    expect(second.status).toBe(200);
    expect(access.decisions.at(-1)).toMatchObject({
      credential: "cookie",
      outcome: "allowed",
      reason: "valid_session_cookie",
    });
  });

  it.each([
    ["a wrong secret", "service_token_wrong_secret"],
    ["an unknown client id", "service_token_unknown"],
    ["only the client id", "service_token_incomplete"],
  ])("blocks %s with the 403 block page", async (_case, reason) => {
    const access = await useAccessEmulator({ type: "self_hosted" });
    const token = access.createServiceToken();
    const headers: Record<string, string> =
      reason === "service_token_wrong_secret"
        ? serviceTokenHeaders({ ...token, clientSecret: "0".repeat(64) })
        : reason === "service_token_unknown"
          ? serviceTokenHeaders({ ...token, clientId: "0123456789abcdef.access" })
          : { "CF-Access-Client-Id": token.clientId };

    await expectBlockPage(await fetch(`${access.url}/`, { headers }), reason);
  });

  it("blocks a revoked token, and the session cookie it started", async () => {
    const access = await useAccessEmulator({ type: "service_auth_only" });
    const token = access.createServiceToken();
    const first = await fetch(`${access.url}/`, { headers: serviceTokenHeaders(token) });
    const cookie = first.headers.get("set-cookie")!.split(";")[0]!;

    access.revokeServiceToken(token.clientId);

    await expectBlockPage(
      await fetch(`${access.url}/`, { headers: serviceTokenHeaders(token) }),
      "service_token_revoked",
    );
    await expectBlockPage(
      await fetch(`${access.url}/`, { headers: { cookie } }),
      "service_token_revoked",
    );
  });

  it("refuses to revoke a token it never created, without echoing the id", async () => {
    const access = await useAccessEmulator({ type: "service_auth_only" });
    const unknown = "feedfacecafebeef0123456789abcdef.access";
    expect(() => access.revokeServiceToken(unknown)).toThrow(
      expect.objectContaining({ code: "ERR_UNKNOWN_SERVICE_TOKEN" }),
    );
    expect(() => access.revokeServiceToken(unknown)).not.toThrow(new RegExp(unknown));
  });

  it("records decisions without any secret", async () => {
    const access = await useAccessEmulator({ type: "service_auth_only" });
    const token = access.createServiceToken();
    const allowed = await fetch(`${access.url}/private?code=abc`, {
      headers: serviceTokenHeaders(token),
    });
    const assertion = ((await allowed.json()) as EchoBody).headers["cf-access-jwt-assertion"]!;
    await fetch(`${access.url}/`, {
      headers: serviceTokenHeaders({ ...token, clientSecret: "wrong-secret-value" }),
    });

    expect(access.decisions).toEqual([
      expect.objectContaining({
        path: "/private",
        outcome: "allowed",
        identity: `${token.clientId.slice(0, 8)}…`,
      }),
      expect.objectContaining({
        outcome: "blocked",
        status: 403,
        reason: "service_token_wrong_secret",
      }),
    ]);
    const recorded = JSON.stringify(access.decisions);
    for (const secret of [
      token.clientSecret,
      token.clientId,
      "wrong-secret-value",
      assertion,
      "code=abc",
    ]) {
      expect(recorded).not.toContain(secret);
    }
  });
});
