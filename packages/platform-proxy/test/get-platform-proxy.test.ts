// Our getPlatformProxy() against wrangler's, on the same config: wrangler's simulates the
// bindings locally (remoteBindings: false, since it cannot reach the remote without a Cloudflare
// login), ours reaches them through the proxy client and (emulated) Access. Both must show the
// same bindings and answer the same calls the same way: the real KV, R2 and D1 APIs in Node.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type * as Wrangler from "wrangler";
import { getPlatformProxy, PlatformProxyError } from "@access-bridge/platform-proxy";
import { startRemoteProcess, type RemoteProcess } from "./remote-process.js";

const wrangler = createRequire(import.meta.url)("wrangler") as typeof Wrangler;

const CONFIG = {
  name: "platform-proxy-test",
  compatibility_date: "2025-09-01",
  vars: { GREETING: "hello" },
  d1_databases: [
    {
      binding: "DB",
      database_name: "db",
      database_id: "00000000-0000-0000-0000-000000000000",
      remote: true,
    },
  ],
  kv_namespaces: [{ binding: "KV", id: "00000000000000000000000000000000", remote: true }],
  r2_buckets: [{ binding: "BUCKET", bucket_name: "bucket", remote: true }],
};

// The bindings are driven through their public API, the same calls on both envs; typing them
// would need @cloudflare/workers-types in a Node test.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type Env = Record<string, any>;

/** The same calls, on either env; what they answer, minus what differs between any two D1s. */
async function exercise(env: Env): Promise<unknown> {
  const { DB, KV, BUCKET } = env;
  const answers: Record<string, unknown> = {};
  await DB.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
  const inserted = await DB.prepare("INSERT INTO notes (id, text) VALUES (?, ?)")
    .bind(1, "one")
    .run();
  answers.run = {
    success: inserted.success,
    changes: inserted.meta.changes,
    last: inserted.meta.last_row_id,
  };
  const batch = await DB.batch([
    DB.prepare("INSERT INTO notes (id, text) VALUES (?, ?)").bind(2, "two"),
    DB.prepare("SELECT text FROM notes ORDER BY id"),
  ]);
  answers.batch = batch.map((result: Env) => result.results);
  answers.first = await DB.prepare("SELECT * FROM notes WHERE id = ?").bind(1).first();
  answers.firstColumn = await DB.prepare("SELECT * FROM notes WHERE id = ?").bind(2).first("text");
  answers.all = (await DB.prepare("SELECT * FROM notes ORDER BY id").all()).results;
  answers.raw = await DB.prepare("SELECT * FROM notes ORDER BY id").raw();
  answers.rawColumns = await DB.prepare("SELECT * FROM notes ORDER BY id").raw({
    columnNames: true,
  });
  const session = DB.withSession("first-primary");
  answers.session = await session.prepare("SELECT count(*) AS n FROM notes").first("n");

  await KV.put("a", "alpha", { metadata: { by: "test" } });
  await KV.put("b", JSON.stringify({ beta: true }));
  answers.kvText = await KV.get("a");
  answers.kvJson = await KV.get("b", "json");
  answers.kvBytes = [...new Uint8Array(await KV.get("a", "arrayBuffer"))];
  answers.kvMeta = await KV.getWithMetadata("a");
  answers.kvBulk = [...(await KV.get(["a", "b", "missing"]))];
  answers.kvBulkMeta = [...(await KV.getWithMetadata(["a"]))];
  answers.kvList = (await KV.list()).keys.map((key: Env) => key.name);

  await BUCKET.put("file.txt", "file body", { httpMetadata: { contentType: "text/plain" } });
  const object = await BUCKET.get("file.txt");
  answers.r2Text = await object.text();
  const headers = new Headers();
  (await BUCKET.head("file.txt")).writeHttpMetadata(headers);
  answers.r2Headers = [...headers];
  const upload = await BUCKET.createMultipartUpload("big.txt");
  const part1 = await upload.uploadPart(1, "x".repeat(5 * 1024 * 1024));
  const part2 = await upload.uploadPart(2, "tail");
  await upload.complete([part1, part2]);
  const big = await BUCKET.get("big.txt");
  answers.r2Multipart = (await big.text()).length;
  answers.r2List = (await BUCKET.list()).objects.map((item: Env) => item.key);
  return answers;
}

describe("getPlatformProxy() of @access-bridge/platform-proxy", () => {
  let dir: string;
  let configPath: string;
  let remote: RemoteProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "access-bridge-platform-proxy-"));
    configPath = path.join(dir, "wrangler.json");
    writeFileSync(configPath, JSON.stringify(CONFIG, null, 2));
    // wrangler's dev registry is machine-wide; this suite's proxy clients register in its own.
    vi.stubEnv("WRANGLER_REGISTRY_PATH", path.join(dir, "registry"));
    vi.stubEnv("WRANGLER_SEND_METRICS", "false");
    remote = await startRemoteProcess(configPath);
  }, 60_000);

  afterAll(async () => {
    await remote?.stop();
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    "has wrangler's bindings and answers KV, R2 and D1 calls as wrangler's local ones do",
    { timeout: 120_000 },
    async () => {
      vi.stubEnv("CLOUDFLARE_ACCESS_CLIENT_ID", remote.clientId);
      vi.stubEnv("CLOUDFLARE_ACCESS_CLIENT_SECRET", remote.clientSecret);
      const theirs = await wrangler.getPlatformProxy<Env>({
        configPath,
        remoteBindings: false,
        persist: false,
      });
      let expected: unknown;
      let theirNames: string[];
      try {
        theirNames = Object.keys(theirs.env).sort();
        expected = await exercise(theirs.env);
      } finally {
        await theirs.dispose();
      }
      const ours = await getPlatformProxy<Env>({
        configPath,
        remoteUrl: remote.url,
        persist: false,
      });
      try {
        expect(Object.keys(ours.env).sort()).toEqual(theirNames);
        expect(ours.env.GREETING).toBe("hello");
        expect(await exercise(ours.env)).toEqual(expected);
        expect(Object.keys(ours)).toEqual(
          expect.arrayContaining(["env", "cf", "ctx", "caches", "dispose"]),
        );
      } finally {
        await ours.dispose();
      }
    },
  );

  it(
    "a credential Access refuses: the call fails with the guidance, never the secret",
    { timeout: 60_000 },
    async () => {
      const wrong = "f".repeat(64);
      vi.stubEnv("CLOUDFLARE_ACCESS_CLIENT_ID", remote.clientId);
      vi.stubEnv("CLOUDFLARE_ACCESS_CLIENT_SECRET", wrong);
      const ours = await getPlatformProxy<Env>({
        configPath,
        remoteUrl: remote.url,
        persist: false,
      });
      try {
        const failure = await ours.env.KV.get("a").then(
          () => new Error("the call succeeded"),
          (error: Error) => error,
        );
        expect(failure.message).toContain("ERR_ACCESS_CREDENTIALS_REJECTED");
        expect(failure.message).toContain(
          "Check that the service token in CLOUDFLARE_ACCESS_CLIENT_ID and CLOUDFLARE_ACCESS_CLIENT_SECRET is neither expired nor revoked",
        );
        expect(failure.message).not.toContain(wrong);
      } finally {
        await ours.dispose();
      }
    },
  );

  it("says what to set when the config has remote bindings and no remote is named", async () => {
    vi.stubEnv("ACCESS_BRIDGE_REMOTE_URL", "");
    const failure = await getPlatformProxy({ configPath }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PlatformProxyError);
    expect((failure as PlatformProxyError).code).toBe("ERR_INVALID_OPTION");
    expect((failure as Error).message).toContain("ACCESS_BRIDGE_REMOTE_URL");
  });
});
