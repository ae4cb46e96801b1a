import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { describe, expect, it, onTestFinished } from "vitest";
import { startAccessEmulator, type AccessEmulatorOptions } from "../src/index.js";
import { ECHO_ORIGIN_SCRIPT, serviceTokenHeaders, useAccessEmulator } from "./emulator-fixture.js";
import { openWebSocket } from "./websocket-client.js";

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("an upstream URL as the origin", () => {
  it("forwards path, query, method, body and the assertion, and passes redirects through", async () => {
    const seen: {
      url: string;
      method: string;
      assertion: string | undefined;
      secret: unknown;
      body: string;
    }[] = [];
    const upstream = await listen(
      createServer((request, response) => {
        let body = "";
        request.on("data", (chunk: Buffer) => (body += chunk.toString()));
        request.on("end", () => {
          seen.push({
            url: request.url!,
            method: request.method!,
            assertion: request.headers["cf-access-jwt-assertion"] as string | undefined,
            secret: request.headers["cf-access-client-secret"],
            body,
          });
          if (request.url === "/moved") {
            response.writeHead(302, { location: "http://127.0.0.2:1/elsewhere" }).end();
          } else {
            response.writeHead(201, { "x-upstream": "yes" }).end("created");
          }
        });
      }),
    );
    const access = await useAccessEmulator({ type: "service_auth_only" }, { url: upstream });
    const token = access.createServiceToken();

    const created = await fetch(`${access.url}/things?id=7`, {
      method: "PUT",
      headers: serviceTokenHeaders(token),
      body: "thing",
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("x-upstream")).toBe("yes");
    expect(await created.text()).toBe("created");
    const moved = await fetch(`${access.url}/moved`, {
      headers: serviceTokenHeaders(token),
      redirect: "manual",
    });
    expect(moved.status).toBe(302);
    expect(moved.headers.get("location")).toBe("http://127.0.0.2:1/elsewhere");

    expect(seen).toEqual([
      {
        url: "/things?id=7",
        method: "PUT",
        assertion: expect.any(String),
        secret: undefined,
        body: "thing",
      },
      { url: "/moved", method: "GET", assertion: expect.any(String), secret: undefined, body: "" },
    ]);
  });

  it("passes WebSocket upgrades through to an upstream Worker", async () => {
    const upstream = new Miniflare(
      convertV4MiniflareOptions({
        host: "127.0.0.1",
        port: 0,
        cf: false,
        modules: true,
        compatibilityDate: "2026-04-01",
        script: ECHO_ORIGIN_SCRIPT,
      }),
    );
    onTestFinished(() => upstream.dispose());
    const access = await useAccessEmulator(
      { type: "self_hosted" },
      { url: (await upstream.ready).href },
    );
    const jwt = await access.issueUserToken("dev@example.com");

    const { socket, next, close } = await openWebSocket(`${access.url}/live`, {
      "cf-access-token": jwt,
    });
    expect(JSON.parse(await next())).toEqual({ assertion: jwt });
    socket.send("over the wire");
    expect(await next()).toBe("echo:over the wire");
    await close();
  });
});

describe("options are checked where they enter", () => {
  it.each<[string, unknown, RegExp]>([
    ["no origin", { application: { type: "self_hosted" } }, /origin is required/],
    [
      "a non-http origin url",
      { origin: { url: "ftp://x" }, application: { type: "self_hosted" } },
      /origin\.url must be an absolute http\(s\) URL/,
    ],
    [
      "an unknown application type",
      { origin: { url: "http://127.0.0.1:1" }, application: { type: "saas" } },
      /application\.type must be "self_hosted" or "service_auth_only", got "saas"/,
    ],
    [
      "a bad team name",
      {
        origin: { url: "http://127.0.0.1:1" },
        application: { type: "self_hosted", teamName: "Acme Corp" },
      },
      /application\.teamName must be a DNS label/,
    ],
    [
      "a bad session duration",
      {
        origin: { url: "http://127.0.0.1:1" },
        application: { type: "self_hosted", sessionDuration: "1 day" },
      },
      /application\.sessionDuration must be a duration such as "24h"/,
    ],
    [
      "a bad email list",
      {
        origin: { url: "http://127.0.0.1:1" },
        application: { type: "self_hosted", allowedEmails: "a@b.c" },
      },
      /application\.allowedEmails must be an array/,
    ],
    [
      "a bad port",
      { origin: { url: "http://127.0.0.1:1" }, application: { type: "self_hosted" }, port: 70000 },
      /port must be an integer from 0 to 65535/,
    ],
    [
      "worker options Miniflare refuses",
      { origin: { worker: { modules: true } }, application: { type: "self_hosted" } },
      /Miniflare refused the worker options in origin\.worker or origin\.extraWorkers/,
    ],
  ])("%s", async (_case, options, message) => {
    const failure = startAccessEmulator(options as AccessEmulatorOptions);
    await expect(failure).rejects.toThrow(message);
    await expect(failure).rejects.toMatchObject({
      name: "AccessEmulatorError",
      code: "ERR_INVALID_OPTION",
    });
  });

  it("says when the port is taken", async () => {
    const taken = new URL(await listen(createServer())).port;
    await expect(
      startAccessEmulator({
        origin: { url: "http://127.0.0.1:1" },
        application: { type: "self_hosted" },
        port: Number(taken),
      }),
    ).rejects.toMatchObject({
      code: "ERR_PORT_IN_USE",
      message: expect.stringContaining(`Port ${taken}`),
    });
  });

  it("refuses to be used after dispose()", async () => {
    const access = await useAccessEmulator({ type: "self_hosted" });
    await access.dispose();
    expect(() => access.createServiceToken()).toThrow(
      expect.objectContaining({ code: "ERR_DISPOSED" }),
    );
    await expect(fetch(access.url)).rejects.toThrow();
  });
});
