// The options of this change where they enter (callBounds, bearer), and that they reach the
// proxy client in workerd; and the advice an upgrade refusal ends with, which follows its status.
import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  planRemoteBindings,
  proxyServerWorker,
  remoteBindings,
  rewriteWranglerConfig,
} from "@access-bridge/remote-bindings";
import { WORKERS_COMPATIBILITY_DATE } from "../src/node/compatibility-date.js";

const REMOTE = "https://bindings-proxy.example.workers.dev";
const API = { API: { type: "service" as const } };

describe("callBounds", () => {
  it("becomes the proxy client's ACCESS_BRIDGE_CALL_BOUNDS text binding", () => {
    const remote = remoteBindings({
      remoteUrl: REMOTE,
      bindings: API,
      credentials: null,
      callBounds: { stallMs: 1500, httpHeadersMs: 20_000 },
    });
    expect(remote.workers[0]!.bindings).toEqual({
      ACCESS_BRIDGE_CALL_BOUNDS: JSON.stringify({ stallMs: 1500, httpHeadersMs: 20_000 }),
      // credentials: null is the option's.
      ACCESS_BRIDGE_CREDENTIAL_SOURCE: "option",
    });
    expect(remote.plan.client.vars).toEqual({});
  });

  it("is written into the proxy client's wrangler config (it is no secret)", () => {
    const plan = planRemoteBindings({
      remoteUrl: REMOTE,
      bindings: API,
      callBounds: { keepaliveMs: 5000 },
    });
    expect(plan.client.settings).toEqual({ ACCESS_BRIDGE_CALL_BOUNDS: '{"keepaliveMs":5000}' });
    const rewritten = rewriteWranglerConfig({
      rawConfig: {
        main: "src/index.ts",
        services: [{ binding: "API", service: "api", remote: true }],
      },
      configPath: "/project/wrangler.json",
      outDir: "/project/.wrangler/access-bridge",
      remoteUrl: REMOTE,
    });
    // Without callBounds, nothing is set and the defaults apply.
    expect(rewritten.client!.vars).not.toHaveProperty("ACCESS_BRIDGE_CALL_BOUNDS");
  });

  it.each([
    [
      { stallMs: -1 },
      "remoteBindings({ callBounds.stallMs }) must be a positive, finite number of milliseconds.",
    ],
    [
      { httpHeadersMs: Number.POSITIVE_INFINITY },
      "remoteBindings({ callBounds.httpHeadersMs }) must be a positive, finite number of milliseconds.",
    ],
    [
      { keepaliveMs: "30000" },
      "remoteBindings({ callBounds.keepaliveMs }) must be a positive, finite number of milliseconds.",
    ],
    [
      { stall: 1000 },
      "remoteBindings({ callBounds.stall }) is not a bound; the bounds are stallMs, keepaliveMs, httpHeadersMs.",
    ],
    [[1000], "remoteBindings({ callBounds }) must be an object of bounds in milliseconds."],
  ])("refuses %j where it enters, naming the option path", (callBounds, message) => {
    expect(() =>
      remoteBindings({
        remoteUrl: REMOTE,
        bindings: API,
        credentials: null,
        callBounds: callBounds as never,
      }),
    ).toThrow(
      expect.objectContaining({
        code: "ERR_INVALID_OPTION",
        message: `[ERR_INVALID_OPTION] ${message}`,
      }),
    );
  });

  it("reaches the proxy client: an HTTP call to a remote that never answers fails at the bound", async () => {
    // Accepts connections and never answers: a stalled link, as the proxy client sees it.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    onTestFinished(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          silent.close(() => resolve());
        }),
    );
    const remoteUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const remote = remoteBindings({
      remoteUrl,
      bindings: API,
      credentials: null,
      callBounds: { httpHeadersMs: 300 },
      onWarning: () => {},
    });
    const mf = new Miniflare(
      convertV4MiniflareOptions({
        cf: false,
        workers: [
          remote.apply({
            name: "app",
            modules: true,
            script: `export default { async fetch(request, env) {
              try { await env.API.fetch("https://api.internal/"); return new Response("answered"); }
              catch (error) { return new Response(error.message); }
            } };`,
            compatibilityDate: WORKERS_COMPATIBILITY_DATE,
          }),
          ...remote.workers,
        ],
      }),
    );
    onTestFinished(() => mf.dispose());
    expect(await (await mf.dispatchFetch("http://localhost/")).text()).toMatch(
      /^\[ERR_REMOTE_UNREACHABLE\] Remote binding "API" \(http\): the request to the proxy server at 127\.0\.0\.1:\d+ failed: no answer within 300 ms\./,
    );
  });
});

describe("bearer", () => {
  it("must be a token source", () => {
    expect(() =>
      remoteBindings({ remoteUrl: REMOTE, bindings: API, credentials: null, bearer: {} as never }),
    ).toThrow(
      /^\[ERR_INVALID_OPTION\] remoteBindings\(\{ bearer \}\) must be a token source: an object whose token\(\) resolves/,
    );
  });

  it("adds the token source as a Node-function service binding of the proxy client, never to the user's Worker", () => {
    const remote = remoteBindings({
      remoteUrl: REMOTE,
      bindings: API,
      credentials: null,
      bearer: { token: async () => "never-called" },
    });
    expect(Object.keys(remote.workers[0]!.serviceBindings ?? {})).toEqual([
      "ACCESS_BRIDGE_REPORTER",
      "ACCESS_BRIDGE_TOKEN_SOURCE",
    ]);
    const user = remote.apply({ name: "app", script: "" });
    expect(Object.keys(user.serviceBindings ?? {})).toEqual(["API"]);
    expect(user.bindings).toBeUndefined();
  });
});

describe("an upgrade refusal's advice follows its status", () => {
  async function rpcFailure(
    bindings: Record<string, { type: "service" }>,
    vars: Record<string, string>,
  ) {
    const server = new Miniflare(
      convertV4MiniflareOptions({
        cf: false,
        host: "127.0.0.1",
        port: 0,
        workers: [
          proxyServerWorker({ name: "proxy", bindings: vars, serviceBindings: { API: "api" } }),
          {
            name: "api",
            modules: true,
            script: `import { WorkerEntrypoint } from "cloudflare:workers"; export default class extends WorkerEntrypoint { greet() { return "hi"; } }`,
            compatibilityDate: WORKERS_COMPATIBILITY_DATE,
          },
        ],
      }),
    );
    onTestFinished(() => server.dispose());
    const remote = remoteBindings({
      remoteUrl: (await server.ready).href,
      bindings,
      credentials: null,
      onWarning: () => {},
    });
    const name = Object.keys(bindings)[0]!;
    const local = new Miniflare(
      convertV4MiniflareOptions({
        cf: false,
        workers: [
          remote.apply({
            name: "app",
            modules: true,
            script: `export default { async fetch(request, env) {
              try { return new Response(await env.${name}.greet()); }
              catch (error) { return new Response(error.message); }
            } };`,
            compatibilityDate: WORKERS_COMPATIBILITY_DATE,
          }),
          ...remote.workers,
        ],
      }),
    );
    onTestFinished(() => local.dispose());
    return await (await local.dispatchFetch("http://localhost/")).text();
  }

  it("400, an unknown binding: check the proxy server has the binding", async () => {
    const message = await rpcFailure({ NOPE: { type: "service" } }, {});
    expect(message).toMatch(/^\[ERR_UPGRADE_FAILED\] .* with HTTP 400: .*"NOPE"/);
    expect(message).toMatch(/has a binding named "NOPE"\.$/);
  });

  it("401, the proxy server's own Access check got no assertion: reach it through Access, or sign in; not the binding advice", async () => {
    const message = await rpcFailure(
      { API: { type: "service" } },
      { ACCESS_TEAM_DOMAIN: "https://team.cloudflareaccess.com", ACCESS_AUD: "a".repeat(64) },
    );
    expect(message).toMatch(
      /^\[ERR_UPGRADE_FAILED\] .* with HTTP 401: This request did not come through Cloudflare Access/,
    );
    expect(message).toContain(
      "Reach it through its Access-protected hostname; if it is in OAuth mode, sign in with `access-bridge login --remote http://127.0.0.1:",
    );
    expect(message).not.toContain("has a binding named");
  });
});
