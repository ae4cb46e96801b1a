import { describe, expect, it } from "vitest";
import { serviceTokenHeaders, useAccessEmulator } from "./emulator-fixture.js";

describe("keep-alive connections", () => {
  it("survive request bodies the origin never reads", async () => {
    // An origin that answers without reading the body: left unread by the gate as well, it made
    // workerd drop the client's connection now and then, failing the next request.
    const access = await useAccessEmulator(
      { type: "service_auth_only" },
      {
        worker: {
          modules: true,
          compatibilityDate: "2026-04-01",
          script: `export default { fetch: (request) => new Response("ok " + request.method) };`,
        },
      },
    );
    const headers = serviceTokenHeaders(access.createServiceToken());
    const failures: string[] = [];
    for (let i = 0; i < 80; i++) {
      try {
        const posted = await fetch(`${access.url}/upload`, {
          method: "POST",
          headers,
          body: "x".repeat(100 + i * 1000),
        });
        expect(await posted.text()).toBe("ok POST");
        const next = await fetch(`${access.url}/next`, { headers });
        expect(await next.text()).toBe("ok GET");
      } catch (error) {
        failures.push(
          `${i}: ${error instanceof Error ? `${error.message} ${String(error.cause)}` : String(error)}`,
        );
      }
    }
    expect(failures).toEqual([]);
  });
});
