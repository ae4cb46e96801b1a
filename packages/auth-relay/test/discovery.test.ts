// Discovery against a real HTTP server on 127.0.0.1 that answers each well-known URL the way
// real servers do: HTML 404 pages, login pages, and metadata at only one of the candidate URLs.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, onTestFinished, test } from "vitest";
import { discoverAuthorizationServer, metadataCandidates } from "../src/discovery.js";
import type { AuthRelayError } from "../src/errors.js";
import { refreshTokenSet } from "../src/token-endpoint.js";

type Answer = { status: number; type: string; body: string };
const html404: Answer = { status: 404, type: "text/html", body: "<h1>Not Found</h1>" };

/** Serves `routes` (path → answer, `{issuer}` replaced); every other path is an HTML 404. */
async function metadataServer(routes: Record<string, (issuer: string) => Answer>) {
  const requested: string[] = [];
  const server = http.createServer((request, response) => {
    requested.push(request.url ?? "");
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const answer = routes[request.url ?? ""]?.(origin) ?? html404;
    response.writeHead(answer.status, { "Content-Type": answer.type }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requested };
}

const metadata = (issuer: string): Answer => ({
  status: 200,
  type: "application/json",
  body: JSON.stringify({
    issuer,
    authorization_endpoint: `${issuer}/authorization`,
    token_endpoint: `${issuer}/token`,
  }),
});

test("an HTML 404 at the RFC 8414 URL moves on to the OpenID Connect document", async () => {
  const server = await metadataServer({
    "/.well-known/openid-configuration": (origin) => metadata(origin),
  });
  const found = await discoverAuthorizationServer(server.origin);
  expect(found.token_endpoint).toBe(`${server.origin}/token`);
  expect(server.requested).toEqual([
    "/.well-known/oauth-authorization-server",
    "/.well-known/openid-configuration",
  ]);
});

test("an issuer with a path: RFC 8414 path insertion, then OIDC inserted (RFC 8414 §5), then appended (OIDC Discovery §4.1)", async () => {
  // Cloudflare Access for SaaS: an app-scoped issuer whose document is only at the appended URL.
  const path = "/cdn-cgi/access/sso/oidc/client-1";
  const server = await metadataServer({
    [`${path}/.well-known/openid-configuration`]: (origin) => metadata(`${origin}${path}`),
  });
  const found = await discoverAuthorizationServer(`${server.origin}${path}`);
  expect(found.issuer).toBe(`${server.origin}${path}`);
  expect(server.requested).toEqual([
    `/.well-known/oauth-authorization-server${path}`,
    `/.well-known/openid-configuration${path}`,
    `${path}/.well-known/openid-configuration`,
  ]);
  expect(metadataCandidates(new URL(`${server.origin}${path}`))).toEqual(
    server.requested.map((requested) => `${server.origin}${requested}`),
  );
});

test("the path-inserted OpenID Connect document is used when it is the one published", async () => {
  const server = await metadataServer({
    "/.well-known/oauth-authorization-server/tenant": () => ({
      status: 200,
      type: "text/html",
      body: "<form>Sign in</form>",
    }),
    "/.well-known/openid-configuration/tenant": (origin) => metadata(`${origin}/tenant`),
  });
  expect((await discoverAuthorizationServer(`${server.origin}/tenant`)).issuer).toBe(
    `${server.origin}/tenant`,
  );
  expect(server.requested).toHaveLength(2);
});

test("no document anywhere: ERR_DISCOVERY_FAILED names every URL tried and its answer", async () => {
  const server = await metadataServer({});
  const error = await discoverAuthorizationServer(`${server.origin}/tenant`).catch(
    (caught: unknown) => caught,
  );
  expect(error).toMatchObject({ name: "AuthRelayError", code: "ERR_DISCOVERY_FAILED" });
  for (const requested of server.requested) {
    expect((error as Error).message).toContain(
      `${server.origin}${requested} → HTTP 404 (text/html)`,
    );
  }
  expect(server.requested).toHaveLength(3);
});

test("metadata naming another issuer stops discovery at once (RFC 8414 §3.3)", async () => {
  const server = await metadataServer({
    "/.well-known/oauth-authorization-server": () => metadata("https://elsewhere.example"),
    "/.well-known/openid-configuration": (origin) => metadata(origin),
  });
  await expect(discoverAuthorizationServer(server.origin)).rejects.toMatchObject({
    code: "ERR_ISSUER_MISMATCH",
  });
  expect(server.requested).toHaveLength(1);
});

/** A server that accepts connections and closes them without a byte: a network failure. */
async function hangingUpServer(): Promise<string> {
  const server = http.createServer();
  server.on("connection", (socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test("a network failure is ERR_NETWORK, in discovery and at the token endpoint", async () => {
  const origin = await hangingUpServer();
  const discovery = await discoverAuthorizationServer(origin).catch((caught: unknown) => caught);
  expect(discovery).toMatchObject({ name: "AuthRelayError", code: "ERR_NETWORK" });
  expect((discovery as AuthRelayError).detail).toMatch(
    new RegExp(
      `^Could not reach ${origin} for metadata discovery\\. The request failed before an answer came \\(\\S+\\)\\.`,
    ),
  );
  const refresh = await refreshTokenSet(`${origin}/token`, {
    clientId: "c",
    refreshToken: "refresh-secret",
  }).catch((caught: unknown) => caught);
  expect(refresh).toMatchObject({ code: "ERR_NETWORK" });
  expect((refresh as Error).message).not.toContain("refresh-secret");
});

test("a refused refresh is ERR_REFRESH_FAILED and keeps the server's own code", async () => {
  const server = await metadataServer({
    "/token": () => ({
      status: 400,
      type: "application/json",
      body: JSON.stringify({ error: "invalid_grant", error_description: "Refresh token revoked" }),
    }),
  });
  const error = await refreshTokenSet(`${server.origin}/token`, {
    clientId: "c",
    refreshToken: "r",
  }).catch((caught: unknown) => caught);
  expect(error).toMatchObject({ code: "ERR_REFRESH_FAILED", oauthError: "invalid_grant" });
  expect((error as Error).message).toContain("It said invalid_grant: Refresh token revoked.");
});
