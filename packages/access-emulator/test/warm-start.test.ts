// The emulator is warm when startAccessEmulator() resolves, as Access's edge is: the gate and its
// authority have served a request, and service tokens' assertions are signed. Warming calls no
// origin and records no decision.
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { newServiceToken } from "@access-bridge/conventions";
import {
  ECHO_ORIGIN_SCRIPT,
  serviceTokenHeaders,
  useAccessEmulator,
  type EchoBody,
} from "./emulator-fixture.js";

// The echo origin, counting in KV every request that reached it.
const countingOrigin = {
  worker: {
    modules: true,
    compatibilityDate: "2026-04-01",
    kvNamespaces: ["SEEN"],
    script: ECHO_ORIGIN_SCRIPT.replace(
      "async fetch(request) {",
      "async fetch(request, env) {\n    await env.SEEN.put(crypto.randomUUID(), request.url);",
    ),
  },
};

interface Seen {
  SEEN: { list(): Promise<{ keys: { name: string }[] }> };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const pastTheSecond = () => new Promise((resolve) => setTimeout(resolve, 1100));

async function assertionOf(response: Response): Promise<{ iat?: number }> {
  expect(response.status).toBe(200);
  const { headers } = (await response.json()) as EchoBody;
  return decodeJwt(headers["cf-access-jwt-assertion"]!);
}

describe("a warm start", () => {
  it("calls no origin and records no decision before the first request", async () => {
    const access = await useAccessEmulator({ type: "service_auth_only" }, countingOrigin);
    const { SEEN } = await access.getOriginBindings<Seen>();
    expect((await SEEN.list()).keys).toEqual([]);
    expect(access.decisions).toEqual([]);

    const token = access.createServiceToken();
    const response = await fetch(`${access.url}/first`, { headers: serviceTokenHeaders(token) });
    expect(response.status).toBe(200);
    await response.body?.cancel();
    expect((await SEEN.list()).keys).toHaveLength(1);
    expect(access.decisions.map(({ path, reason }) => ({ path, reason }))).toEqual([
      { path: "/first", reason: "valid_service_token" },
    ]);
  });

  it("has signed the assertion of a token given at start before it resolves", async () => {
    const early = newServiceToken();
    const access = await useAccessEmulator({ type: "service_auth_only" }, undefined, {
      serviceTokens: [early],
    });
    const ready = nowSeconds();
    await pastTheSecond();
    const { iat } = await assertionOf(
      await fetch(access.url, { headers: serviceTokenHeaders(early) }),
    );
    expect(iat).toBeLessThanOrEqual(ready);
  });

  it("signs a created token's assertion when the token is created, not on its first request", async () => {
    const access = await useAccessEmulator({ type: "service_auth_only" });
    const token = access.createServiceToken();
    const created = nowSeconds();
    await pastTheSecond();
    const first = await assertionOf(
      await fetch(access.url, { headers: serviceTokenHeaders(token) }),
    );
    expect(first.iat).toBeLessThanOrEqual(created);
    // And it is the one reused afterwards.
    const again = await assertionOf(
      await fetch(access.url, { headers: serviceTokenHeaders(token) }),
    );
    expect(again.iat).toBe(first.iat);
  });
});
