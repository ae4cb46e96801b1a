// startRemoteFixture(), the Node API of `access-bridge remote`, as a test suite would use it:
// a remote for a Worker run with the Miniflare API, its remote bindings through access-bridge.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { remoteBindings } from "@access-bridge/remote-bindings";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { describe, expect, it, onTestFinished } from "vitest";
import { startRemoteFixture } from "../src/index.js";
import { writeRemoteProject } from "./support/remote-project.js";

function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "access-bridge-remote-fixture-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return writeRemoteProject(dir);
}

const USER_WORKER = `
export default {
  async fetch(request, env) {
    await env.CACHE.put("greeting", "hi from kv");
    return Response.json({
      kv: await env.CACHE.get("greeting"),
      rpc: await env.API.greet("ada"),
      row: await env.DB.prepare("SELECT 1 + 1 AS two").first(),
    });
  },
};`;

describe("startRemoteFixture()", () => {
  it("is a remote a Miniflare suite reaches through access-bridge with its service token", async () => {
    const config = project();
    const fixture = await startRemoteFixture({ config });
    onTestFinished(() => fixture.dispose());
    expect(fixture.configPath).toBe(config);
    expect(fixture.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const remote = remoteBindings({
      remoteUrl: fixture.url,
      bindings: { CACHE: { type: "kv" }, API: { type: "service" }, DB: { type: "d1" } },
      credentials: fixture.serviceToken,
    });
    const local = new Miniflare(
      convertV4MiniflareOptions({
        cf: false,
        host: "127.0.0.1",
        port: 0,
        workers: [
          remote.apply({
            name: "app",
            modules: true,
            script: USER_WORKER,
            compatibilityDate: "2026-05-01",
          }),
          ...remote.workers,
        ],
      }),
    );
    onTestFinished(() => local.dispose());
    const response = await local.dispatchFetch("http://app.local/");
    expect(await response.json()).toEqual({
      kv: "hi from kv",
      rpc: "hello ada",
      row: { two: 2 },
    });
    expect(fixture.emulator.decisions.some((decision) => decision.outcome === "allowed")).toBe(
      true,
    );
  });

  it("hands out the secret only when asked for it by name", async () => {
    const fixture = await startRemoteFixture({ config: project() });
    onTestFinished(() => fixture.dispose());
    const { clientId, clientSecret } = fixture.serviceToken;
    expect(clientSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(fixture.environment()).toEqual({
      ACCESS_BRIDGE_REMOTE_URL: fixture.url,
      CLOUDFLARE_ACCESS_CLIENT_ID: clientId,
      CLOUDFLARE_ACCESS_CLIENT_SECRET: clientSecret,
    });
    // What a failing assertion or a log line would show of the fixture.
    expect(inspect(fixture, { depth: 5 })).not.toContain(clientSecret);
    expect(JSON.stringify({ ...fixture, emulator: undefined })).not.toContain(clientSecret);
    expect(String(fixture.serviceToken)).not.toContain(clientSecret);
  });

  it("stops serving when disposed, and disposes twice without complaint", async () => {
    const fixture = await startRemoteFixture({ config: project(), type: "self_hosted" });
    expect(fixture.access.type).toBe("self_hosted");
    expect((await fetch(fixture.access.identityUrl, { redirect: "manual" })).status).toBe(302);
    await fixture.dispose();
    await fixture.dispose();
    await expect(fetch(fixture.url)).rejects.toThrow();
  });

  it("names the option it refuses", async () => {
    await expect(startRemoteFixture({ port: 70000 })).rejects.toMatchObject({
      code: "ERR_USAGE",
      message: expect.stringContaining("startRemoteFixture({ port }) must be an integer"),
    });
    await expect(
      startRemoteFixture({ type: "saas" as unknown as "self_hosted" }),
    ).rejects.toMatchObject({
      code: "ERR_USAGE",
      message: expect.stringContaining('startRemoteFixture({ type }) must be "service_auth_only"'),
    });
  });
});
