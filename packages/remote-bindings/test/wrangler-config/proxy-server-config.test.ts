import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROXY_SERVER_BUNDLE } from "../../src/node/worker-bundles.js";
import {
  defaultProxyServerName,
  proxyServerWranglerConfig,
  type RawSection,
} from "../../src/node/wrangler-config/index.js";

const OUT_DIR = "/project/.wrangler/access-bridge/proxy-server";

const CONFIG: RawSection = {
  name: "shop",
  main: "src/index.ts",
  account_id: "0123456789abcdef0123456789abcdef",
  compatibility_date: "2026-04-01",
  vars: { GREETING: "hi" },
  kv_namespaces: [
    { binding: "CACHE", id: "local-only" },
    { binding: "CATALOG", id: "kv-prod", remote: true },
  ],
  ai: { binding: "AI" },
  queues: { producers: [{ binding: "JOBS", queue: "jobs", remote: true }] },
  services: [{ binding: "API", service: "api", entrypoint: "Api", remote: true }],
  env: {
    staging: {
      kv_namespaces: [{ binding: "CATALOG", id: "kv-staging", remote: true }],
      d1_databases: [
        { binding: "DB", database_name: "shop-staging", database_id: "d1-staging", remote: true },
      ],
    },
    named: { name: "shop-eu", r2_buckets: [{ binding: "FILES", bucket_name: "f", remote: true }] },
    local: { kv_namespaces: [{ binding: "CATALOG", id: "kv-local" }] },
  },
};

function generate(
  environment?: string,
  extra: { name?: string; vars?: Record<string, string> } = {},
) {
  return proxyServerWranglerConfig({
    rawConfig: CONFIG,
    where: "wrangler.jsonc",
    environment,
    outDir: OUT_DIR,
    ...extra,
  });
}

describe("the proxy server's wrangler config", () => {
  it("has exactly the carried bindings of the top level, with their ids, and the built bundle", () => {
    const { config, name } = generate();
    expect(name).toBe("shop-access-bridge");
    expect(config).toEqual({
      name: "shop-access-bridge",
      main: path.relative(OUT_DIR, PROXY_SERVER_BUNDLE),
      compatibility_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      no_bundle: true,
      workers_dev: true,
      preview_urls: false,
      account_id: "0123456789abcdef0123456789abcdef",
      services: [{ binding: "API", service: "api", entrypoint: "Api" }],
      kv_namespaces: [{ binding: "CATALOG", id: "kv-prod" }],
      ai: { binding: "AI" },
      queues: { producers: [{ binding: "JOBS", queue: "jobs" }] },
    });
  });

  it("takes an environment's own bindings (not inherited) and names its Worker after it", () => {
    const { config, name } = generate("staging");
    expect(name).toBe("shop-access-bridge-staging");
    expect(config.kv_namespaces).toEqual([{ binding: "CATALOG", id: "kv-staging" }]);
    expect(config.d1_databases).toEqual([
      { binding: "DB", database_name: "shop-staging", database_id: "d1-staging" },
    ]);
    expect(config).not.toHaveProperty("ai");
    expect(config).not.toHaveProperty("services");
    expect(config.account_id).toBe("0123456789abcdef0123456789abcdef");
    expect(generate("named").name).toBe("shop-eu-access-bridge");
  });

  it("is the same bytes for the same input, and puts the vars in", () => {
    const vars = { ACCESS_TEAM_DOMAIN: "https://team.cloudflareaccess.com", ACCESS_AUD: "aud" };
    expect(generate(undefined, { vars }).text).toBe(generate(undefined, { vars }).text);
    expect(JSON.parse(generate(undefined, { vars }).text).vars).toEqual(vars);
    expect(generate().text).not.toContain('"vars"');
    expect(generate(undefined, { name: "my-proxy" }).config.name).toBe("my-proxy");
  });

  it("refuses an unknown environment, one with nothing carried, and a reserved binding name", () => {
    expect(() => generate("prod")).toThrow(/has no environment "prod"/);
    expect(() => generate("local")).toThrow(
      /env\.local marks no binding "remote": true.*not inherited/,
    );
    expect(() =>
      proxyServerWranglerConfig({
        rawConfig: { name: "x", kv_namespaces: [{ binding: "ACCESS_AUD", id: "k", remote: true }] },
        where: "wrangler.jsonc",
        environment: undefined,
        outDir: OUT_DIR,
      }),
    ).toThrow(/"ACCESS_AUD" starts with ACCESS_/);
  });

  it("cuts a default name to one DNS label of lowercase letters, digits and dashes", () => {
    const name = defaultProxyServerName({ name: `My_App.${"x".repeat(80)}` }, undefined);
    expect(name).toMatch(/^[a-z0-9-]{1,63}$/);
    expect(name.startsWith("my-app-")).toBe(true);
  });
});
