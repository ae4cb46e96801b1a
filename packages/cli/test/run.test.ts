// `access-bridge run -- <command>`: the command's own getPlatformProxy(), imported from
// "wrangler" as a framework imports it, gets the remote bindings (here through the embedded
// remote) with their real API; the command runs without the credentials; its exit code is run's.
// The framework dev servers themselves are fixtures/frameworks.
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, sandbox, type Sandbox } from "@access-bridge/test-support/cli-process";

const CONFIG = {
  name: "run-test",
  compatibility_date: "2025-09-01",
  d1_databases: [
    {
      binding: "DB",
      database_name: "db",
      database_id: "00000000-0000-0000-0000-000000000000",
      remote: true,
    },
  ],
  kv_namespaces: [{ binding: "KV", id: "00000000000000000000000000000000", remote: true }],
};

// What a framework does: getPlatformProxy() from "wrangler", the bindings used, dispose().
const SCRIPT = `
import { getPlatformProxy } from "wrangler";
const { env, dispose } = await getPlatformProxy();
await env.DB.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
await env.DB.prepare("INSERT INTO notes VALUES (?, ?)").bind(1, "carried").run();
await env.KV.put("k", "v", { metadata: { m: 1 } });
console.log(JSON.stringify({
  row: await env.DB.prepare("SELECT text FROM notes WHERE id = ?").bind(1).first("text"),
  bulk: [...(await env.KV.getWithMetadata(["k"]))],
  credentialInEnv: Object.keys(process.env).some((name) => name.startsWith("CLOUDFLARE_ACCESS_")),
}));
await dispose();
process.exit(7);
`;

function project(box: Sandbox, config: object): string {
  const dir = path.join(box.dir, "project");
  mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  // The project's own wrangler, as a framework project has it.
  symlinkSync(
    path.join(REPO_ROOT, "node_modules/wrangler"),
    path.join(dir, "node_modules/wrangler"),
  );
  writeFileSync(path.join(dir, "wrangler.json"), JSON.stringify(config));
  writeFileSync(path.join(dir, "script.mjs"), SCRIPT);
  return dir;
}

describe("access-bridge run", () => {
  it(
    "hands the command's getPlatformProxy() the remote bindings, without the credentials, and returns its exit code",
    { timeout: 120_000 },
    async () => {
      const box = sandbox();
      const cwd = project(box, CONFIG);
      const { code, stdout, stderr } = await box.runCli(
        ["run", "--", process.execPath, "script.mjs"],
        { cwd, env: { CLOUDFLARE_ACCESS_CLIENT_ID: "id-from-the-shell.access" } },
      );
      expect(code, stderr).toBe(7);
      expect(stdout).toContain("embedded remote on loopback behind an emulated Cloudflare Access");
      const line = stdout.split("\n").find((candidate) => candidate.startsWith("{"));
      expect(JSON.parse(line!)).toEqual({
        row: "carried",
        bulk: [["k", { value: "v", metadata: { m: 1 } }]],
        credentialInEnv: false,
      });
    },
  );

  it("with no command, says how to name one", async () => {
    const box = sandbox();
    const { code, stderr } = await box.runCli(["run"], { cwd: box.dir });
    expect(code).toBe(2);
    expect(stderr).toContain("Name the command to run after --.");
  });
});
