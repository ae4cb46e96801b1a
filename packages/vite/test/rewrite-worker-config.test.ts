// The app Worker's config as the Cloudflare plugin gets it (wrangler's normalised config, read
// here by wrangler itself), rewritten: carried bindings become service bindings with props to
// the proxy client; local ones stay as written.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { unstable_readConfig } from "wrangler";
import { afterAll, describe, expect, test } from "vitest";
import { rewriteWorkerConfig, type WorkerConfigData } from "../src/rewrite-worker-config.js";

const dir = mkdtempSync(path.join(tmpdir(), "access-bridge-rewrite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const REMOTE = new URL("https://bindings-proxy.example.workers.dev");
const CLIENT = "access-bridge-proxy-client-0123abcd";

function normalised(config: Record<string, unknown>): WorkerConfigData {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ name: "app", compatibility_date: "2026-04-01", ...config }));
  return unstable_readConfig(
    { config: file },
    { hideWarnings: true },
  ) as unknown as WorkerConfigData;
}

const rewrite = (config: WorkerConfigData) =>
  rewriteWorkerConfig(config, {
    remoteUrl: REMOTE,
    clientWorkerName: CLIENT,
    where: "wrangler.json",
  });

const toClient = (binding: string, type: string) => ({
  binding,
  service: CLIENT,
  props: { binding, type, remoteUrl: REMOTE.href },
});

describe("rewriteWorkerConfig", () => {
  test("remote bindings become service bindings to the proxy client; local ones stay", () => {
    const config = normalised({
      d1_databases: [
        { binding: "DB", database_id: "remote-db", remote: true },
        { binding: "LOCAL_DB", database_id: "local-db" },
      ],
      kv_namespaces: [{ binding: "CACHE", id: "cache" }],
      services: [
        { binding: "API", service: "api", remote: true },
        { binding: "AUTH", service: "auth" },
      ],
      ai: { binding: "AI" },
      queues: { producers: [{ binding: "JOBS", queue: "jobs", remote: true }] },
    });
    const rewritten = rewrite(config)!;
    expect(rewritten.carried.map((binding) => binding.name).sort()).toEqual([
      "AI",
      "API",
      "DB",
      "JOBS",
    ]);
    expect(config.d1_databases).toEqual([expect.objectContaining({ binding: "LOCAL_DB" })]);
    expect(config.kv_namespaces).toEqual([expect.objectContaining({ binding: "CACHE" })]);
    expect(config.ai).toBeUndefined();
    expect((config.queues as { producers: unknown[] }).producers).toEqual([]);
    expect(config.services).toEqual([
      expect.objectContaining({ binding: "AUTH", service: "auth" }),
      toClient("API", "service"),
      toClient("DB", "d1"),
      toClient("AI", "ai"),
      toClient("JOBS", "queue"),
    ]);
    expect(rewritten.plan.facades).toEqual({ DB: "d1", AI: "ai" });
    // Nothing the Cloudflare plugin would start a remote proxy session (and a login) for.
    expect(JSON.stringify(config)).not.toContain('"remote":true');
  });

  test("a config without remote bindings is left alone", () => {
    const config = normalised({ kv_namespaces: [{ binding: "CACHE", id: "cache" }] });
    const before = structuredClone(config);
    expect(rewrite(config)).toBeUndefined();
    expect(config).toEqual(before);
  });

  test("a remote Hyperdrive binding is refused with the reason and the way out", () => {
    const config = normalised({
      hyperdrive: [
        { binding: "PG", id: "pg", localConnectionString: "postgres://x", remote: true },
      ],
    });
    expect(() => rewrite(config)).toThrow(
      /\[ERR_UNSUPPORTED_BINDING\] wrangler\.json: hyperdrive\[0\] is marked "remote": true/,
    );
  });
});
