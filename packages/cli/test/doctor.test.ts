import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLE_DIR, sandbox } from "@access-bridge/test-support/cli-process";
import { startNotesRemote } from "./support/notes-remote.js";

/** doctor, run from a copy of the example (it reads the config the way dev does). */
function runDoctor(args: string[], env: Record<string, string> = {}) {
  const box = sandbox();
  return box.runCli(["doctor", ...args], { cwd: box.project(EXAMPLE_DIR), env });
}

describe("access-bridge doctor", () => {
  it("passes against the embedded remote", async () => {
    const { code, stdout } = await runDoctor([]);
    expect(stdout).toContain("Checking the embedded remote");
    for (const line of [
      "✓ Cloudflare Access protects it (a request without credentials gets Access's 403).",
      "✓ Access accepts an Access service token (client id ",
      "✓ The proxy server speaks the remote-bindings protocol.",
      "✓ The proxy server exposes DB.",
      "✓ The proxy server exposes ATTACHMENTS.",
      "✓ The proxy server exposes SEARCH.",
      "All checks passed.",
    ]) {
      expect(stdout).toContain(line);
    }
    expect(code).toBe(0);
  });

  it("passes against a remote behind the emulator with the service token in the environment", async () => {
    const access = await startNotesRemote("self_hosted");
    const token = access.createServiceToken();
    const { code, stdout, stderr } = await runDoctor(["--remote-url", access.url], {
      CLOUDFLARE_ACCESS_CLIENT_ID: token.clientId,
      CLOUDFLARE_ACCESS_CLIENT_SECRET: token.clientSecret,
    });
    expect(stdout).toContain(
      "✓ Cloudflare Access protects it (a request without credentials is sent to sign in).",
    );
    expect(stdout).toContain("All checks passed.");
    expect(code).toBe(0);
    expect(stdout + stderr).not.toContain(token.clientSecret);
    expect(stdout + stderr).not.toContain(token.clientId);
  });

  it("fails with a fix when Access rejects the credentials, never printing them", async () => {
    const access = await startNotesRemote();
    const token = access.createServiceToken();
    const { code, stdout, stderr } = await runDoctor(["--remote-url", access.url], {
      CLOUDFLARE_ACCESS_CLIENT_ID: token.clientId,
      CLOUDFLARE_ACCESS_CLIENT_SECRET: "not-the-secret",
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /✘ Access rejected an Access service token \(client id \w{8}…\) \(answered 403\)\.\n {2}fix: Check that the service token in CLOUDFLARE_ACCESS_CLIENT_ID and CLOUDFLARE_ACCESS_CLIENT_SECRET is neither expired nor revoked/,
    );
    expect(stdout).not.toContain("exposes");
    expect(stdout + stderr).not.toContain("not-the-secret");
  });

  it("fails with a fix when no credentials are configured", async () => {
    const access = await startNotesRemote();
    const { code, stdout } = await runDoctor(["--remote-url", access.url]);
    expect(code).toBe(1);
    expect(stdout).toContain("✘ No Access credentials are configured");
    expect(stdout).toContain(
      "fix: Set CLOUDFLARE_ACCESS_CLIENT_ID and CLOUDFLARE_ACCESS_CLIENT_SECRET",
    );
  });

  it("names each remote binding the proxy server does not expose", async () => {
    const access = await startNotesRemote();
    const token = access.createServiceToken();
    const box = sandbox();
    const dir = path.join(box.dir, "project");
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, "wrangler.jsonc"),
      JSON.stringify({
        main: "index.js",
        compatibility_date: "2026-04-01",
        d1_databases: [{ binding: "DB", database_name: "notes", remote: true }],
        kv_namespaces: [{ binding: "CACHE", id: "abc", remote: true }],
      }),
    );
    const { code, stdout } = await box.runCli(["doctor", "--remote-url", access.url], {
      cwd: dir,
      env: {
        CLOUDFLARE_ACCESS_CLIENT_ID: token.clientId,
        CLOUDFLARE_ACCESS_CLIENT_SECRET: token.clientSecret,
      },
    });
    expect(stdout).toContain("✓ The proxy server exposes DB.");
    expect(stdout).toContain(
      "✘ The proxy server has no binding CACHE, which your config marks remote.",
    );
    expect(stdout).toContain("fix: Add CACHE to the proxy server's wrangler.jsonc");
    expect(code).toBe(1);
  });

  it("fails when the remote does not answer", async () => {
    const { code, stdout } = await runDoctor(["--remote-url", "http://127.0.0.1:1"]);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /✘ The remote at http:\/\/127\.0\.0\.1:1 did not answer \(.+\)\.\n {2}fix: Check --remote-url/,
    );
  });
});
