import { describe, expect, it } from "vitest";
import { expectBlockPage, useAccessEmulator } from "./emulator-fixture.js";

describe("requests without credentials", () => {
  it("self_hosted: 302 to the team's login page for this host, carrying the audience and the path", async () => {
    const access = await useAccessEmulator({
      type: "self_hosted",
      teamName: "acme",
      aud: "a1b2c3",
    });
    const response = await fetch(`${access.url}/reports/q3?format=pdf`, { redirect: "manual" });

    expect(response.status).toBe(302);
    const host = new URL(access.url).host;
    expect(response.headers.get("location")).toBe(
      `https://acme.cloudflareaccess.com/cdn-cgi/access/login/${host}?kid=a1b2c3&redirect_url=%2Freports%2Fq3%3Fformat%3Dpdf`,
    );
    expect(access.decisions).toEqual([
      expect.objectContaining({
        credential: "none",
        outcome: "blocked",
        status: 302,
        reason: "no_credentials",
      }),
    ]);
  });

  it("service_auth_only: 403 block page titled `Error ・ Cloudflare Access`", async () => {
    const access = await useAccessEmulator({ type: "service_auth_only" });
    await expectBlockPage(await fetch(`${access.url}/`), "no_credentials");
  });

  it("blocks every method the same way, and the origin never runs", async () => {
    const access = await useAccessEmulator({ type: "service_auth_only" });
    for (const method of ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
      const response = await fetch(`${access.url}/x`, {
        method,
        ...(method === "GET" ? {} : { body: "data" }),
      });
      expect(response.status, method).toBe(403);
      expect(await response.text()).not.toContain('"method"');
    }
  });
});
