// The one project-resolution step of `access-bridge dev`, `access-bridge run` and
// getPlatformProxy(), with the project's real wrangler reading a real config.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DevSessionError } from "../src/dev-session-error.js";
import { resolveProject, type ProjectQuery } from "../src/resolve-project.js";

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function project(config: Record<string, unknown>): string {
  dir = mkdtempSync(path.join(tmpdir(), "access-bridge-project-"));
  mkdirSync(path.join(dir, "app"));
  writeFileSync(
    path.join(dir, "app/wrangler.json"),
    JSON.stringify({ name: "app", main: "index.js", compatibility_date: "2025-09-01", ...config }),
  );
  writeFileSync(path.join(dir, "app/index.js"), "export default { fetch() {} };");
  return path.join(dir, "app");
}

const query = (cwd: string, rest: Partial<ProjectQuery> = {}): ProjectQuery => ({
  cwd,
  config: undefined,
  environment: undefined,
  remoteUrl: { value: undefined, source: "--remote-url" },
  env: {},
  ...rest,
});

function failure(run: () => unknown): DevSessionError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DevSessionError);
    return error as DevSessionError;
  }
  throw new Error("resolveProject did not throw");
}

describe("resolveProject", () => {
  it("finds the config wrangler would, from a folder below it, with every environment's carried bindings", () => {
    const app = project({
      kv_namespaces: [{ binding: "KV", id: "kv", remote: true }],
      d1_databases: [{ binding: "LOCAL_DB", database_id: "db" }],
      env: {
        staging: { r2_buckets: [{ binding: "BUCKET", bucket_name: "bucket", remote: true }] },
      },
    });
    mkdirSync(path.join(app, "src"));
    const resolved = resolveProject(
      query(path.join(app, "src"), { env: { CLOUDFLARE_ENV: "staging" } }),
    );
    expect(resolved.config.path).toBe(path.join(app, "wrangler.json"));
    expect(resolved.dir).toBe(app);
    expect(resolved.environment).toBe("staging");
    expect(resolved.remoteUrl).toBeUndefined();
    expect(resolved.carried.map((binding) => [binding.name, binding.type])).toEqual([
      ["KV", "kv"],
      ["BUCKET", "r2"],
    ]);
    expect(resolved.wrangler.version).toMatch(/^4\./);
  });

  it("takes the given environment and remote over CLOUDFLARE_ENV and ACCESS_BRIDGE_REMOTE_URL", () => {
    const app = project({ env: { staging: {}, prod: {} } });
    const resolved = resolveProject(
      query(dir, {
        config: "app/wrangler.json",
        environment: "prod",
        remoteUrl: { value: "https://given.example.workers.dev", source: "--remote-url" },
        env: {
          CLOUDFLARE_ENV: "staging",
          ACCESS_BRIDGE_REMOTE_URL: "https://from-env.example.workers.dev",
        },
      }),
    );
    expect(resolved.config.path).toBe(path.join(app, "wrangler.json"));
    expect(resolved.environment).toBe("prod");
    expect(resolved.remoteUrl?.href).toBe("https://given.example.workers.dev/");
  });

  it("reports a bad remote URL before looking for wrangler or a config", () => {
    dir = mkdtempSync(path.join(tmpdir(), "access-bridge-project-"));
    const error = failure(() =>
      resolveProject(query(dir, { remoteUrl: { value: "ftp://x", source: "--remote-url" } })),
    );
    expect(error.code).toBe("ERR_REMOTE_URL");
    expect(error.message).toContain("--remote-url must be");
  });

  it("names the option the user gives a config with when there is none", () => {
    dir = mkdtempSync(path.join(tmpdir(), "access-bridge-project-"));
    const missing = failure(() =>
      resolveProject(query(dir, { config: "nope.json", configOption: "configPath" })),
    );
    expect(missing.code).toBe("ERR_CONFIG_NOT_FOUND");
    expect(missing.detail).toBe(
      `No config file at ${path.join(dir, "nope.json")}. Check the configPath path.`,
    );
  });

  it("reports what wrangler rejects, against the user's file", () => {
    const app = project({ env: { staging: {} } });
    const error = failure(() => resolveProject(query(app, { environment: "prod" })));
    expect(error.code).toBe("ERR_CONFIG");
    expect(error.message).toContain('No environment found in configuration with name "prod"');
  });
});
