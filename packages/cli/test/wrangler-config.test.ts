// `access-bridge wrangler-config` writes the configs a plain `wrangler dev` runs and prints the
// line; the fixture projects run that line (fixtures/wrangler-projects). Here: what it writes.
import { existsSync, lstatSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLE_DIR, sandbox } from "@access-bridge/test-support/cli-process";

const REMOTE = "https://bindings-proxy.example.workers.dev";

describe("access-bridge wrangler-config", () => {
  it("writes the two configs to a git-ignored folder and prints the wrangler dev line", async () => {
    const box = sandbox();
    const project = box.project(EXAMPLE_DIR);
    const { code, stdout } = await box.runCli(["wrangler-config", "--remote-url", REMOTE], {
      cwd: project,
      env: {
        CLOUDFLARE_ACCESS_CLIENT_ID: "id.access",
        CLOUDFLARE_ACCESS_CLIENT_SECRET: "s3cr3t-value",
      },
    });
    expect(code).toBe(0);
    expect(stdout).toContain(
      "  npx wrangler dev -c .wrangler/access-bridge/wrangler.json -c .wrangler/access-bridge/proxy-client/wrangler.json --persist-to .wrangler/state\n",
    );
    expect(stdout).toContain(`Remote bindings (3: SEARCH, ATTACHMENTS, DB) go to ${REMOTE}.`);

    const dir = path.join(project, ".wrangler/access-bridge");
    expect(readFileSync(path.join(dir, ".gitignore"), "utf8")).toContain("*");
    const user = JSON.parse(readFileSync(path.join(dir, "wrangler.json"), "utf8"));
    const client = JSON.parse(readFileSync(path.join(dir, "proxy-client/wrangler.json"), "utf8"));
    // A name of its own: wrangler's dev registry is shared by every project of the machine.
    expect(client.name).toMatch(/^access-bridge-proxy-client-[0-9a-f]{8}$/);
    // Paths relocated; remote bindings now service bindings to the proxy client.
    expect(user.main).toBe("./entry.mjs");
    expect(user.base_dir).toBe("../../src");
    expect(user.d1_databases).toBeUndefined();
    expect(user.services).toEqual([
      {
        binding: "SEARCH",
        service: client.name,
        props: { binding: "SEARCH", type: "service", remoteUrl: `${REMOTE}/` },
      },
      expect.objectContaining({
        binding: "ATTACHMENTS",
        props: expect.objectContaining({ type: "r2" }),
      }),
      expect.objectContaining({ binding: "DB", props: expect.objectContaining({ type: "d1" }) }),
    ]);
    expect(JSON.stringify(user)).not.toContain('"remote"');
    expect(readFileSync(path.join(dir, "entry.mjs"), "utf8")).toContain(
      'export * from "../../src/index.ts";',
    );

    expect(client.vars).toEqual({
      // Not a secret: where a plain wrangler dev's proxy client finds its credential, for its advice.
      ACCESS_BRIDGE_CREDENTIAL_SOURCE: "environment",
      accessClientId: "",
      accessClientSecret: "",
      accessToken: "",
      ACCESS_BRIDGE_TOKEN_BROKER_URL: "",
      ACCESS_BRIDGE_TOKEN_BROKER_KEY: "",
    });
    expect(readFileSync(path.join(dir, "proxy-client/.env"), "utf8")).toContain(
      "accessClientSecret=${CLOUDFLARE_ACCESS_CLIENT_SECRET}",
    );
    for (const file of ["wrangler.json", "proxy-client/wrangler.json", "proxy-client/.env"]) {
      expect(readFileSync(path.join(dir, file), "utf8")).not.toContain("s3cr3t-value");
    }
    // wrangler looks for .dev.vars beside the config it runs: a link to the project's own.
    expect(lstatSync(path.join(dir, ".dev.vars")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(dir, ".dev.vars"))).toBe("../../.dev.vars");
  });

  it("needs a remote URL", async () => {
    const box = sandbox();
    const { code, stderr } = await box.runCli(["wrangler-config"], {
      cwd: box.project(EXAMPLE_DIR),
    });
    expect(code).toBe(2);
    expect(stderr).toContain("wrangler-config needs the proxy server: pass --remote-url <url>");
  });

  it("has nothing to write for a config without remote bindings", async () => {
    const box = sandbox();
    const project = box.project(EXAMPLE_DIR);
    const config = path.join(project, "wrangler.jsonc");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(
      config,
      JSON.stringify({ name: "plain", main: "src/index.ts", compatibility_date: "2026-04-01" }),
    );
    const { code, stdout } = await box.runCli(["wrangler-config", "--remote-url", REMOTE], {
      cwd: project,
    });
    expect(code).toBe(0);
    expect(stdout).toContain("has no remote bindings, so there is nothing to generate");
    expect(existsSync(path.join(project, ".wrangler/access-bridge/proxy-client"))).toBe(false);
  });
});
