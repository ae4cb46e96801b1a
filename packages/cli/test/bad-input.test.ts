import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { EXAMPLE_CONFIG, runCli, startCli } from "./support/cli-process.js";

const WORKER = `export default { fetch: () => new Response("hello from toml") };`;

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "access-bridge-input-"));
  for (const [name, contents] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), contents);
  }
  return dir;
}

describe("bad input gets a clear error and a non-zero exit", () => {
  it("no config in the folder", async () => {
    const { code, stderr } = await runCli(["dev"], { cwd: project({}) });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /No wrangler\.jsonc, wrangler\.json, wrangler\.toml in .*Run in your Worker's folder or pass --config <path>/,
    );
  });

  it("a --config path that does not exist", async () => {
    const { code, stderr } = await runCli(["dev", "--config", "nope/wrangler.jsonc"], {
      cwd: project({}),
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/No config file at .*nope\/wrangler\.jsonc\. Check the --config path\./);
  });

  it("malformed JSONC, with line and column", async () => {
    const cwd = project({
      "wrangler.jsonc": `{\n  // the entry\n  "main": "index.js",\n  "compatibility_date": 2026-04-01\n}\n`,
    });
    const { code, stderr } = await runCli(["dev"], { cwd });
    expect(code).toBe(1);
    expect(stderr).toMatch(/wrangler\.jsonc:4:\d+: \w+/);
  });

  it("malformed TOML, with line and column", async () => {
    const cwd = project({ "wrangler.toml": `main = "index.js"\ncompatibility_date = \n` });
    const { code, stderr } = await runCli(["dev"], { cwd });
    expect(code).toBe(1);
    expect(stderr).toMatch(/wrangler\.toml:2:\d+: Invalid TOML document/);
  });

  it("a missing field, named with its path", async () => {
    const cwd = project({
      "wrangler.jsonc": `{ "main": "index.js", "kv_namespaces": [{ "id": "x" }], "compatibility_date": "2026-04-01" }`,
    });
    const { code, stderr } = await runCli(["dev"], { cwd });
    expect(code).toBe(1);
    expect(stderr).toContain("kv_namespaces[0].binding must be a non-empty string.");
  });

  it("a binding type dev does not run", async () => {
    const cwd = project({
      "wrangler.jsonc": `{ "main": "index.js", "compatibility_date": "2026-04-01", "queues": { "producers": [] } }`,
      "index.js": WORKER,
    });
    const { code, stderr } = await runCli(["dev"], { cwd });
    expect(code).toBe(1);
    expect(stderr).toContain('the binding type "queues" is not supported by access-bridge dev');
  });

  it("an entry that does not bundle", async () => {
    const cwd = project({
      "wrangler.jsonc": `{ "main": "index.ts", "compatibility_date": "2026-04-01" }`,
      "index.ts": `export default { fetch( };`,
    });
    const { code, stderr } = await runCli(["dev"], { cwd });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /Could not bundle .*index\.ts:[\s\S]*Expected identifier[\s\S]*index\.ts:1:\d+/,
    );
  });

  it.each([
    [["--remote-url", "ftp://files.example.com"], {}, "--remote-url must be the http(s) URL"],
    [
      [],
      { ACCESS_BRIDGE_REMOTE_URL: "bindings-proxy.example.workers.dev" },
      "ACCESS_BRIDGE_REMOTE_URL must be the http(s) URL",
    ],
  ])("a remote URL that is not http(s): %j %j", async (args, env, message) => {
    const { code, stderr } = await runCli(
      ["dev", "--config", EXAMPLE_CONFIG, "--port", "0", ...args],
      { env },
    );
    expect(code).toBe(1);
    expect(stderr).toContain(message);
  });

  it("a port in use", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as { port: number }).port;
    const { code, stderr } = await runCli([
      "dev",
      "--config",
      EXAMPLE_CONFIG,
      "--port",
      String(port),
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    expect(stderr).not.toContain("kj::");
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
    const { code, stderr, stdout } = await runCli(
      [
        "dev",
        "--config",
        EXAMPLE_CONFIG,
        "--port",
        "0",
        "--remote-url",
        "https://bindings-proxy.example.workers.dev",
      ],
      { env: { [set]: value } },
    );
    expect(code).toBe(1);
    expect(stderr).toContain(`${set} is set but ${missing} is not`);
    expect(stderr + stdout).not.toContain(value);
  });

  it("an unknown option exits 2 with the command's help", async () => {
    const { code, stderr } = await runCli(["dev", "--prot", "8787"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Unknown option '--prot'/);
    expect(stderr).toContain("Usage: access-bridge dev");
  });

  it("an unknown command exits 2", async () => {
    const { code, stderr } = await runCli(["deploy"]);
    expect(code).toBe(2);
    expect(stderr).toContain('Unknown command "deploy"');
  });
});

describe("config formats", () => {
  it("runs a Worker from wrangler.toml", async () => {
    const cwd = project({
      "wrangler.toml": `name = "toml-worker"\nmain = "index.js"\ncompatibility_date = "2026-04-01"\n`,
      "index.js": WORKER,
    });
    const cli = startCli(["dev", "--port", "0"], { cwd });
    const [, url] = await cli.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+\/)/);
    expect(await (await fetch(url!)).text()).toBe("hello from toml");
    expect(cli.stdout()).not.toContain("Remote bindings");
  });
});
