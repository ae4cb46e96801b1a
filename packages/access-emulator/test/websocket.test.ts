import { describe, expect, it } from "vitest";
import { serviceTokenHeaders, useAccessEmulator } from "./emulator-fixture.js";
import { openWebSocket, refusedUpgrade } from "./websocket-client.js";

describe("WebSocket upgrades", () => {
  it("pass through with the assertion when the service token is valid; messages flow both ways", async () => {
    const access = await useAccessEmulator({ type: "service_auth_only" });
    const token = access.createServiceToken();

    const { socket, next, close } = await openWebSocket(
      `${access.url}/rpc`,
      serviceTokenHeaders(token),
    );
    const hello = JSON.parse(await next()) as { assertion: string | null };
    expect(hello.assertion).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    socket.send("ping");
    expect(await next()).toBe("echo:ping");
    socket.send("second");
    expect(await next()).toBe("echo:second");
    await close();

    expect(access.decisions).toEqual([
      expect.objectContaining({
        path: "/rpc",
        websocket: true,
        outcome: "allowed",
        credential: "service_token",
      }),
    ]);
  });

  it("pass through with a user token in the cf-access-token header", async () => {
    const access = await useAccessEmulator({
      type: "self_hosted",
      allowedEmails: ["dev@example.com"],
    });
    const jwt = await access.issueUserToken("dev@example.com");
    const { next, close } = await openWebSocket(access.url, { "cf-access-token": jwt });
    expect(JSON.parse(await next())).toEqual({ assertion: jwt });
    await close();
  });

  it("are redirected to sign in without credentials on a self_hosted application", async () => {
    const access = await useAccessEmulator({ type: "self_hosted" });
    const refused = await refusedUpgrade(`${access.url}/rpc`);
    expect(refused.status).toBe(302);
    expect(refused.headers.location).toMatch(
      /^https:\/\/access-bridge-emulator\.cloudflareaccess\.com\/cdn-cgi\/access\/login\//,
    );
  });

  it.each([
    ["no credentials", () => ({}), "no_credentials"],
    [
      "a wrong secret",
      (id: string) => ({ "CF-Access-Client-Id": id, "CF-Access-Client-Secret": "nope" }),
      "service_token_wrong_secret",
    ],
  ])(
    "get the 403 block page with %s on a service_auth_only application",
    async (_case, headers, reason) => {
      const access = await useAccessEmulator({ type: "service_auth_only" });
      const token = access.createServiceToken();
      const refused = await refusedUpgrade(`${access.url}/rpc`, headers(token.clientId));
      expect(refused.status).toBe(403);
      expect(refused.headers["access-emulator-reason"]).toBe(reason);
      expect(access.decisions.at(-1)).toMatchObject({
        websocket: true,
        outcome: "blocked",
        reason,
      });
    },
  );
});
