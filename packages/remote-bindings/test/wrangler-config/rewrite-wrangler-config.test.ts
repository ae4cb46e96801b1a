import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { RemoteBindingsError } from "../../src/shared/errors.js";
import {
  carriedBindingsByEnvironment,
  rewriteWranglerConfig,
  type RawSection,
} from "../../src/node/wrangler-config/index.js";

const REMOTE = "https://bindings-proxy.example.workers.dev";
/** Every project a test set up (a test may set up more than one): each is removed after it. */
const projects: string[] = [];

function setUp(files: Record<string, string> = {}): { configPath: string; outDir: string } {
  const project = mkdtempSync(path.join(tmpdir(), "access-bridge-rewrite-"));
  projects.push(project);
  for (const [name, contents] of Object.entries({
    "src/index.ts": "export default { fetch() { return new Response('hi'); } };",
    ...files,
  })) {
    mkdirSync(path.dirname(path.join(project, name)), { recursive: true });
    writeFileSync(path.join(project, name), contents);
  }
  return {
    configPath: path.join(project, "wrangler.jsonc"),
    outDir: path.join(project, ".wrangler/access-bridge"),
  };
}

afterEach(() => {
  for (const project of projects.splice(0)) rmSync(project, { recursive: true, force: true });
});

function rewrite(rawConfig: RawSection, extra: { credentials?: { token: string } } = {}) {
  return rewriteWranglerConfig({ rawConfig, ...setUp(), remoteUrl: REMOTE, ...extra });
}

describe("which bindings are carried", () => {
  it("those marked remote, and those wrangler always runs remotely; local ones stay", () => {
    const sections = carriedBindingsByEnvironment(
      {
        kv_namespaces: [
          { binding: "CACHE", id: "a", remote: true },
          { binding: "LOCAL", id: "b" },
        ],
        ai: { binding: "AI" },
        media: { binding: "MEDIA", remote: false },
        send_email: [{ name: "MAIL", remote: true }],
        queues: { producers: [{ binding: "JOBS", queue: "jobs", remote: true }] },
        env: {
          staging: { r2_buckets: [{ binding: "FILES", bucket_name: "files", remote: true }] },
        },
      },
      "wrangler.jsonc",
    );
    expect(
      sections.map(({ environment, carried }) => [
        environment,
        carried.map((b) => [b.name, b.type]),
      ]),
    ).toEqual([
      [
        undefined,
        [
          ["CACHE", "kv"],
          ["AI", "ai"],
          ["JOBS", "queue"],
          ["MAIL", "send-email"],
        ],
      ],
      ["staging", [["FILES", "r2"]]],
    ]);
  });

  it("refuses a remote Hyperdrive binding, saying why and what to do instead", () => {
    expect(() =>
      carriedBindingsByEnvironment(
        { env: { prod: { hyperdrive: [{ binding: "PG", id: "x", remote: true }] } } },
        "wrangler.jsonc",
      ),
    ).toThrow(
      expect.objectContaining({
        code: "ERR_UNSUPPORTED_BINDING",
        message: expect.stringMatching(
          /wrangler\.jsonc env\.prod: hyperdrive\[0\] is marked "remote": true.*localConnectionString/s,
        ),
      }) as RemoteBindingsError,
    );
  });
});

describe("rewriteWranglerConfig", () => {
  it("turns each carried binding into a service binding with props to the proxy client", () => {
    const result = rewrite({
      name: "app",
      main: "src/index.ts",
      services: [
        { binding: "LOCAL_API", service: "other" },
        { binding: "API", service: "api", remote: true },
      ],
      ai: { binding: "AI" },
      queues: {
        producers: [{ binding: "JOBS", queue: "jobs", remote: true }],
        consumers: [{ queue: "in" }],
      },
    });
    expect(result.user.ai).toBeUndefined();
    expect(result.user.queues).toEqual({ consumers: [{ queue: "in" }] });
    expect(result.user.services).toEqual([
      { binding: "LOCAL_API", service: "other" },
      ...["API", "AI", "JOBS"].map((binding) => ({
        binding,
        service: "access-bridge-proxy-client",
        props: expect.objectContaining({ binding, remoteUrl: `${REMOTE}/` }),
      })),
    ]);
    expect(JSON.stringify(result.user)).not.toContain('"remote"');
    // Workers AI has a facade (its streamed answers travel as bytes), the service binding one that
    // pipelines its chains: the entry wraps the user's.
    expect(result.user.main).toBe("./entry.mjs");
    expect(result.modules[0]!.source).toContain(
      'installRemoteFacades({"API":"service","AI":"ai"})',
    );
  });

  it("leaves the user's entry as it is when no carried binding has a facade", () => {
    const result = rewrite({
      main: "src/index.ts",
      queues: { producers: [{ binding: "JOBS", queue: "jobs", remote: true }] },
    });
    // No facade needed: the entry stays the user's, relocated.
    expect(result.user.main).toBe("../../src/index.ts");
    expect(result.modules).toEqual([]);
  });

  it("gives a service binding the facade that pipelines its chains, where the entry can take it", () => {
    const config = {
      main: "src/index.ts",
      services: [{ binding: "API", service: "api", remote: true }],
    };
    const result = rewrite(config);
    expect(result.user.main).toBe("./entry.mjs");
    expect(result.modules[0]!.source).toContain('installRemoteFacades({"API":"service"})');
    // A service-worker script has no default export to re-export: its binding stays plain.
    const serviceWorker = rewriteWranglerConfig({
      rawConfig: config,
      ...setUp({ "src/index.ts": "addEventListener('fetch', () => {});" }),
      remoteUrl: REMOTE,
    });
    expect(serviceWorker.user.main).toBe("../../src/index.ts");
    expect(serviceWorker.modules).toEqual([]);
  });

  it("puts the KV, R2 and D1 facades in through an entry that wraps the user's", () => {
    const result = rewrite({
      main: "src/index.ts",
      kv_namespaces: [{ binding: "KV", id: "kv", remote: true }],
    });
    expect(result.user.main).toBe("./entry.mjs");
    expect(result.user.base_dir).toBe("../../src");
    const [installer, entry] = result.modules;
    expect(installer!.source).toContain('installRemoteFacades({"KV":"kv"})');
    expect(installer!.source).toMatch(/from "(\.\.\/)+.*user-facades\.worker\.js"/);
    expect(entry!.source).toBe(
      'import "./facades.mjs";\nexport * from "../../src/index.ts";\nexport { default } from "../../src/index.ts";\n',
    );
  });

  it("gives each environment its own bindings and wrapper, and its own entry when it has no facade", () => {
    const result = rewrite({
      main: "src/index.ts",
      d1_databases: [{ binding: "DB", database_id: "x", remote: true }],
      env: {
        staging: { r2_buckets: [{ binding: "FILES", bucket_name: "files", remote: true }] },
        local: { vars: { STAGE: "local" } },
      },
    });
    const envs = result.user.env as Record<string, RawSection>;
    expect(envs.staging!.main).toBe("./entry.env-staging.mjs");
    expect(envs.local!.main).toBe("../../src/index.ts");
    expect(envs.local!.services).toBeUndefined();
    expect(result.client!.env).toEqual({
      staging: expect.objectContaining({ name: "access-bridge-proxy-client" }),
      local: expect.objectContaining({ name: "access-bridge-proxy-client" }),
    });
  });

  it("relocates every path wrangler resolves against the config's folder", () => {
    const result = rewrite({
      main: "./src/index.ts",
      assets: { directory: "./public", run_worker_first: ["/api/*"] },
      tsconfig: "tsconfig.json",
      build: { command: "npm run build" },
      alias: { lib: "./vendor/lib.js", react: "preact/compat" },
      d1_databases: [
        {
          binding: "DB",
          database_id: "x",
          migrations_dir: "db/migrations",
          migrations_pattern: "db/migrations/*/up.sql",
        },
      ],
      wasm_modules: { MODULE: "module.wasm" },
      env: { staging: { assets: { directory: "dist" } } },
    });
    expect(result.user).toMatchObject({
      main: "../../src/index.ts",
      assets: { directory: "../../public", run_worker_first: ["/api/*"] },
      tsconfig: "../../tsconfig.json",
      build: { command: "npm run build", watch_dir: "../../src" },
      alias: { lib: "../../vendor/lib.js", react: "preact/compat" },
      d1_databases: [
        {
          migrations_dir: "../../db/migrations",
          migrations_pattern: "../../db/migrations/*/up.sql",
        },
      ],
      wasm_modules: { MODULE: "../../module.wasm" },
      env: { staging: { assets: { directory: "../../dist" } } },
    });
  });

  it("keeps credentials out of every generated config and hands them back for the environment", () => {
    const result = rewrite(
      { main: "src/index.ts", ai: { binding: "AI" } },
      { credentials: { token: "user-token-value" } },
    );
    const everything = JSON.stringify([result.user, result.client, result.modules]);
    expect(everything).not.toContain("user-token-value");
    expect(result.client!.vars).toEqual({
      accessClientId: "",
      accessClientSecret: "",
      accessToken: "",
      ACCESS_BRIDGE_TOKEN_BROKER_URL: "",
      ACCESS_BRIDGE_TOKEN_BROKER_KEY: "",
    });
    expect(result.credentialVariables).toEqual({ accessToken: "user-token-value" });
  });

  it("returns no proxy client when nothing is carried", () => {
    const result = rewrite({ main: "src/index.ts", kv_namespaces: [{ binding: "KV", id: "a" }] });
    expect(result.client).toBeUndefined();
    expect(result.user.kv_namespaces).toEqual([{ binding: "KV", id: "a" }]);
  });

  it("needs main to wrap when a facade binding is carried", () => {
    expect(() => rewrite({ kv_namespaces: [{ binding: "KV", id: "a", remote: true }] })).toThrow(
      /main.*must name your Worker's entry/,
    );
  });
});
