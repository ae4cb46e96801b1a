import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it, onTestFinished } from "vitest";
import { startAccessEmulator, type AccessOrigin } from "../src/index.js";
import { serviceTokenHeaders, useAccessEmulator } from "./emulator-fixture.js";

interface SeenByOrigin {
  path: string;
  aud: string | null;
  identity: Record<string, unknown> | null;
}

/**
 * An origin Worker that answers with its ctx.access and reports every request it ran to Node,
 * so a test sees both what the Worker observed and which requests reached it at all.
 */
function ctxAccessOrigin(seen: SeenByOrigin[]): AccessOrigin {
  return {
    worker: {
      modules: true,
      compatibilityDate: "2026-04-01",
      serviceBindings: {
        SEEN: async (request) => {
          seen.push((await request.json()) as SeenByOrigin);
          return new Response(null, { status: 204 });
        },
      },
      script: `
export default {
  async fetch(request, env, ctx) {
    const observed = {
      path: new URL(request.url).pathname,
      aud: ctx.access?.aud ?? null,
      identity: (await ctx.access?.getIdentity()) ?? null,
    };
    await env.SEEN.fetch("http://seen/", { method: "POST", body: JSON.stringify(observed) });
    return Response.json(observed);
  },
};`,
    },
  };
}

describe("ctx.access in a Worker origin", () => {
  it("gives each request the identity of its own token: two users and a service token", async () => {
    const seen: SeenByOrigin[] = [];
    const access = await useAccessEmulator(
      { type: "self_hosted", allowedEmailDomains: ["example.com"] },
      ctxAccessOrigin(seen),
    );
    const ada = await access.issueUserToken("ada@example.com");
    const bob = await access.issueUserToken("bob@example.com");
    const robot = access.createServiceToken();

    const asAda = await fetch(`${access.url}/ada`, {
      headers: { cookie: `CF_Authorization=${ada}` },
    });
    const asBob = await fetch(`${access.url}/bob`, { headers: { "cf-access-token": bob } });
    const asRobot = await fetch(`${access.url}/robot`, { headers: serviceTokenHeaders(robot) });
    // Interleaved again, so nothing about one request leaks into the next.
    const adaAgain = await fetch(`${access.url}/ada-again`, {
      headers: { "cf-access-token": ada },
    });

    expect([asAda.status, asBob.status, asRobot.status, adaAgain.status]).toEqual([
      200, 200, 200, 200,
    ]);
    expect(seen).toEqual([
      {
        path: "/ada",
        aud: access.aud,
        identity: expect.objectContaining({
          email: "ada@example.com",
          user_uuid: expect.any(String),
        }),
      },
      {
        path: "/bob",
        aud: access.aud,
        identity: expect.objectContaining({
          email: "bob@example.com",
          user_uuid: expect.any(String),
        }),
      },
      {
        path: "/robot",
        aud: access.aud,
        identity: expect.objectContaining({
          common_name: robot.clientId,
          service_token_status: true,
        }),
      },
      {
        path: "/ada-again",
        aud: access.aud,
        identity: expect.objectContaining({ email: "ada@example.com" }),
      },
    ]);
    expect(seen[0]!.identity!.user_uuid).not.toBe(seen[1]!.identity!.user_uuid);
    expect(seen[2]!.identity).not.toHaveProperty("email");
  });

  it("matches /cdn-cgi/access/get-identity for the same token", async () => {
    const seen: SeenByOrigin[] = [];
    const access = await useAccessEmulator({ type: "self_hosted" }, ctxAccessOrigin(seen));
    const token = await access.issueUserToken("dev@example.com");

    const fromWorker = await (
      await fetch(`${access.url}/`, { headers: { "cf-access-token": token } })
    ).json();
    const fromEndpoint = await (
      await fetch(`${access.url}/cdn-cgi/access/get-identity`, {
        headers: { "cf-access-token": token },
      })
    ).json();

    expect((fromWorker as SeenByOrigin).identity).toEqual(fromEndpoint);
  });

  it("never runs the origin for a request without a valid token, nor for a forged blob header", async () => {
    const seen: SeenByOrigin[] = [];
    const access = await useAccessEmulator({ type: "service_auth_only" }, ctxAccessOrigin(seen));
    const forgedBlob = JSON.stringify({ app_aud: access.aud, jwt_claims: { email: "x@evil" } });

    const answers = await Promise.all([
      fetch(`${access.url}/none`),
      fetch(`${access.url}/garbage`, { headers: { "cf-access-token": "not.a.jwt" } }),
      fetch(`${access.url}/wrong-secret`, {
        headers: serviceTokenHeaders({ ...access.createServiceToken(), clientSecret: "nope" }),
      }),
      fetch(`${access.url}/forged`, { headers: { "MF-Access-Blob": forgedBlob } }),
    ]);

    expect(answers.map((answer) => answer.status)).toEqual([403, 403, 403, 403]);
    expect(seen).toEqual([]);
  });

  it("sends no blob header to an upstream URL origin", async () => {
    const received: IncomingHttpHeaders[] = [];
    const upstream = createServer((request, response) => {
      received.push(request.headers);
      response.end("ok");
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    onTestFinished(() => new Promise<void>((resolve) => upstream.close(() => resolve())));
    const { port } = upstream.address() as AddressInfo;
    const access = await useAccessEmulator(
      { type: "service_auth_only" },
      { url: `http://127.0.0.1:${port}` },
    );

    const response = await fetch(`${access.url}/`, {
      headers: {
        ...serviceTokenHeaders(access.createServiceToken()),
        "MF-Access-Blob": JSON.stringify({ app_aud: "forged" }),
      },
    });

    expect(response.status).toBe(200);
    expect(received).toHaveLength(1);
    expect(received[0]!["cf-access-jwt-assertion"]).toEqual(expect.any(String));
    expect(received[0]).not.toHaveProperty("mf-access-blob");
  });

  it("refuses an origin.worker.access option: the emulator owns it", async () => {
    await expect(
      startAccessEmulator({
        origin: { worker: { modules: true, script: "", access: { aud: "fixed" } } },
        application: { type: "self_hosted" },
      }),
    ).rejects.toMatchObject({ code: "ERR_INVALID_OPTION", message: /origin\.worker\.access/ });
  });
});
