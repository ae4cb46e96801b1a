// Every mistake a user can make gets one clear line, a non-zero exit, and nothing left running.
// Config errors are wrangler's own, reported against the user's file.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLE_DIR, READY, sandbox, type Sandbox } from "@access-bridge/test-support/cli-process";

const WORKER = `export default { fetch: () => new Response("hello from toml") };`;

function project(box: Sandbox, files: Record<string, string>): string {
  const dir = path.join(box.dir, "project");
  mkdirSync(dir, { recursive: true });
  for (const [name, contents] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), contents);
  }
  return dir;
}

/** A known error prints its detail: what happened, why, what to do; never a stack or its code. */
function expectNoStackNorCode(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toMatch(/\[ERR_[A-Z_]+\]/);
}

describe("bad input gets a clear error and a non-zero exit", () => {
  it("no config in the folder", async () => {
    const box = sandbox();
    const { code, stderr } = await box.runCli(["dev"], { cwd: project(box, {}) });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /No wrangler\.json, wrangler\.jsonc or wrangler\.toml in .*pass --config <path>/,
    );
    expectNoStackNorCode(stderr);
  });

  it("a --config path that does not exist", async () => {
    const box = sandbox();
    const { code, stderr } = await box.runCli(["dev", "--config", "nope/wrangler.jsonc"], {
      cwd: project(box, {}),
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/No config file at .*nope\/wrangler\.jsonc\. Check the --config path\./);
  });

  it("malformed JSONC, with line and column", async () => {
    const box = sandbox();
    const cwd = project(box, {
      "wrangler.jsonc": `{\n  // the entry\n  "main": "index.js",\n  "compatibility_date": 2026-04-01\n}\n`,
    });
    const { code, stderr } = await box.runCli(["dev"], { cwd });
    expect(code).toBe(1);
    expect(stderr).toMatch(/wrangler\.jsonc:4:\d+: CommaExpected/);
    expectNoStackNorCode(stderr);
  });

  it("malformed TOML, with line and column", async () => {
    const box = sandbox();
    const cwd = project(box, { "wrangler.toml": `main = "index.js"\ncompatibility_date = \n` });
    const { code, stderr } = await box.runCli(["dev"], { cwd });
    expect(code).toBe(1);
    expect(stderr).toMatch(/wrangler\.toml:2:\d+: Invalid TOML document/);
  });

  it("a field wrangler rejects, named with its path", async () => {
    const box = sandbox();
    const cwd = project(box, {
      "wrangler.jsonc": JSON.stringify({
        main: "index.js",
        compatibility_date: "2026-04-01",
        kv_namespaces: [{ id: "x", remote: true }],
      }),
    });
    const { code, stderr } = await box.runCli(["dev"], { cwd });
    expect(code).toBe(1);
    expect(stderr).toContain('"kv_namespaces[0]" bindings should have a string "binding" field');
  });

  it("an --env the config does not define", async () => {
    const box = sandbox();
    const cwd = project(box, {
      "wrangler.jsonc": JSON.stringify({
        main: "index.js",
        compatibility_date: "2026-04-01",
        env: { staging: {} },
      }),
    });
    const { code, stderr } = await box.runCli(["dev", "--env", "prod"], { cwd });
    expect(code).toBe(1);
    expect(stderr).toContain('No environment found in configuration with name "prod"');
  });

  it("a remote binding no proxy can carry (Hyperdrive), with the reason and what to do", async () => {
    const box = sandbox();
    const cwd = project(box, {
      "wrangler.jsonc": JSON.stringify({
        main: "index.js",
        compatibility_date: "2026-04-01",
        hyperdrive: [{ binding: "PG", id: "abc", remote: true }],
      }),
    });
    const { code, stderr } = await box.runCli(["dev"], { cwd });
    expect(code).toBe(1);
    // A RemoteBindingsError, recognised by its code: its detail, without the code or a stack.
    expect(stderr).toContain('✘ wrangler.jsonc: hyperdrive[0] is marked "remote": true');
    expect(stderr).toContain("localConnectionString");
    expectNoStackNorCode(stderr);
  });

  it.each([
    [["--remote-url", "ftp://files.example.com"], {}, "--remote-url must be the http(s) URL"],
    [
      [],
      { ACCESS_BRIDGE_REMOTE_URL: "bindings-proxy.example.workers.dev" },
      "ACCESS_BRIDGE_REMOTE_URL must be the http(s) URL",
    ],
  ])("a remote URL that is not http(s): %j %j", async (args, env, message) => {
    const box = sandbox();
    const { code, stderr } = await box.runCli(["dev", ...args], {
      cwd: box.project(EXAMPLE_DIR),
      env,
    });
    expect(code).toBe(1);
    expect(stderr).toContain(message);
    expectNoStackNorCode(stderr);
  });

  it.each([
    [
      "CLOUDFLARE_ACCESS_CLIENT_ID",
      "CLOUDFLARE_ACCESS_CLIENT_SECRET",
      "id-value-1234567890.access",
    ],
    [
      "CLOUDFLARE_ACCESS_CLIENT_SECRET",
      "CLOUDFLARE_ACCESS_CLIENT_ID",
      "secret-value-never-printed",
    ],
  ])("only %s of the service token", async (set, missing, value) => {
    const box = sandbox();
    const { code, stderr, stdout } = await box.runCli(
      ["dev", "--remote-url", "https://bindings-proxy.example.workers.dev"],
      { cwd: box.project(EXAMPLE_DIR), env: { [set]: value } },
    );
    expect(code).toBe(1);
    expect(stderr).toContain(`${set} is set but ${missing} is not`);
    expectNoStackNorCode(stderr);
    expect(stderr + stdout).not.toContain(value);
  });

  it("CLOUDFLARE_INCLUDE_PROCESS_ENV=true, which would copy the credentials into the Worker", async () => {
    const box = sandbox();
    const { code, stderr } = await box.runCli(["dev"], {
      cwd: box.project(EXAMPLE_DIR),
      env: { CLOUDFLARE_INCLUDE_PROCESS_ENV: "true" },
    });
    expect(code).toBe(1);
    expect(stderr).toContain(
      "CLOUDFLARE_INCLUDE_PROCESS_ENV=true makes wrangler copy every variable",
    );
    expectNoStackNorCode(stderr);
  });

  it("--remote, which would upload the Worker and need wrangler login", async () => {
    const box = sandbox();
    const { code, stderr } = await box.runCli(["dev", "--remote"], {
      cwd: box.project(EXAMPLE_DIR),
    });
    expect(code).toBe(2);
    expect(stderr).toContain("--remote runs your Worker on Cloudflare");
    expect(stderr).toContain("Usage: access-bridge dev");
    expectNoStackNorCode(stderr);
  });

  it("an option wrangler does not know is wrangler's error, with wrangler's exit code", async () => {
    const box = sandbox();
    const { code, stderr } = await box.runCli(["dev", "--prot", "8787"], {
      cwd: box.project(EXAMPLE_DIR),
    });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/Unknown argument.*prot/);
  });

  it("an unknown command exits 2", async () => {
    const { code, stderr } = await sandbox().runCli(["publish"]);
    expect(code).toBe(2);
    expect(stderr).toContain('Unknown command "publish"');
  });
});

describe("a Worker without remote bindings", () => {
  it("runs as plain wrangler dev, from wrangler.toml", async () => {
    const box = sandbox();
    const cwd = project(box, {
      "wrangler.toml": `name = "toml-worker"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\n`,
      "index.js": WORKER,
    });
    const cli = box.startCli(["dev", "--port", "0"], { cwd });
    const [, url] = await cli.waitFor(READY);
    expect(await (await fetch(url!)).text()).toBe("hello from toml");
    expect(cli.stdout()).toContain(
      "No remote bindings in wrangler.toml: this is plain wrangler dev.",
    );
    expect((await cli.stop("SIGINT")).code).toBe(130);
  });
});
