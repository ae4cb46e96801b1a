import { describe, expect, it } from "vitest";
import { accessBlockGuidance } from "../src/shared/access-guidance.js";
import { clientIdHint } from "../src/shared/credentials.js";

const block = {
  binding: "AI",
  host: "proxy.example.workers.dev",
  status: 302,
  path: "http" as const,
};

describe("access block guidance", () => {
  it("tells how to configure credentials when none were sent", () => {
    const text = accessBlockGuidance({ ...block, reason: "no_credentials" }, { kind: "none" });
    expect(text).toContain('remote binding "AI" (http) at proxy.example.workers.dev');
    expect(text).toContain("HTTP 302, a redirect to the Access login page");
    expect(text).toContain("no Access credentials were sent");
    expect(text).toContain("CLOUDFLARE_ACCESS_CLIENT_ID and CLOUDFLARE_ACCESS_CLIENT_SECRET");
    expect(text).toContain("CLOUDFLARE_ACCESS_TOKEN");
  });

  it("tells how to fix a rejected service token, naming it by a client id prefix only", () => {
    const clientId = "0123456789abcdef.access";
    const text = accessBlockGuidance(
      { ...block, status: 403, reason: "credentials_rejected" },
      { kind: "service_token", clientIdHint: clientIdHint(clientId) },
    );
    expect(text).toContain("rejected the credentials");
    expect(text).toContain("CF-Access-Client-Id 01234567…");
    expect(text).not.toContain(clientId);
    expect(text).toContain("expired nor revoked");
  });

  it("tells how to renew a rejected user token", () => {
    const text = accessBlockGuidance(
      { ...block, status: 403, reason: "credentials_rejected" },
      { kind: "user_token" },
    );
    expect(text).toContain("cloudflared access token --app=https://proxy.example.workers.dev");
  });
});
