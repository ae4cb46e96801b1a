// accessBridge() itself: its arguments, the plugins it returns and when they apply, and what it
// gives the Cloudflare plugin (the user's options unchanged, unless `vite dev` has remote
// bindings to carry). The dev server itself is tested in dev-server.test.ts.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cloudflare, type PluginConfig } from "@cloudflare/vite-plugin";
import type { ConfigEnv, Plugin } from "vite";
import { unstable_readConfig } from "wrangler";
import { afterEach, describe, expect, test } from "vitest";
import { accessBridge, AccessBridgeViteError } from "../src/index.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(wrangler: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "access-bridge-vite-"));
  dirs.push(dir);
  writeFileSync(
    path.join(dir, "wrangler.json"),
    JSON.stringify({
      name: "app",
      main: "./index.js",
      compatibility_date: "2026-04-01",
      ...wrangler,
    }),
  );
  writeFileSync(
    path.join(dir, "index.js"),
    "export default { fetch() { return new Response(); } };\n",
  );
  return dir;
}

/** accessBridge() with the real cloudflare(), recording the options it was given. */
function withRecordedOptions(...args: [PluginConfig?, Parameters<typeof accessBridge>[2]?]) {
  const given: PluginConfig[] = [];
  const plugins = accessBridge(
    (config) => {
      given.push(config!);
      return cloudflare(config);
    },
    ...args,
  );
  return { plugins, given: given[0]! };
}

const SERVE: ConfigEnv = { command: "serve", mode: "development" };

async function runConfigHook(plugin: Plugin, root: string, env: ConfigEnv = SERVE): Promise<void> {
  const hook = plugin.config as { handler: (config: object, env: ConfigEnv) => Promise<void> };
  await hook.handler({ root }, env);
}

describe("accessBridge()", () => {
  test("takes the cloudflare function first, and says so", () => {
    const call = () => accessBridge({} as never);
    expect(call).toThrow(AccessBridgeViteError);
    expect(call).toThrow(
      /\[ERR_INVALID_OPTION\] accessBridge\(cloudflare, …\) takes the `cloudflare` function/,
    );
    expect(() => accessBridge(cloudflare, {}, { remoteUrl: 42 as never })).toThrow(
      /\[ERR_INVALID_OPTION\] accessBridge\(…, …, \{ remoteUrl \}\)/,
    );
  });

  test("returns the Cloudflare plugin's plugins between two of its own, which apply to vite dev only", () => {
    const plugins = accessBridge(cloudflare);
    const names = plugins.map((plugin) => plugin.name);
    expect(names).toEqual([
      "access-bridge",
      ...cloudflare().map((plugin) => plugin.name),
      "access-bridge:facades",
    ]);
    for (const plugin of [plugins[0]!, plugins.at(-1)!]) {
      const apply = plugin.apply as (config: object, env: ConfigEnv) => boolean;
      expect(apply({}, SERVE)).toBe(true);
      expect(apply({}, { command: "build", mode: "production" })).toBe(false);
      expect(apply({}, { command: "serve", mode: "production", isPreview: true })).toBe(false);
    }
  });

  test("gives the Cloudflare plugin the user's options, untouched until vite dev has remote bindings to carry", async () => {
    const user: PluginConfig = {
      persistState: false,
      auxiliaryWorkers: [{ configPath: "x.json" }],
    };
    const { plugins, given } = withRecordedOptions(user);
    expect(given).toEqual(user);
    expect(given).not.toBe(user);

    await runConfigHook(
      plugins[0]!,
      project({ kv_namespaces: [{ binding: "CACHE", id: "cache" }] }),
    );
    expect(given).toEqual(user);
  });

  test("with remoteBindings: false, everything stays local as the Cloudflare plugin has it", async () => {
    const { plugins, given } = withRecordedOptions({ remoteBindings: false });
    await runConfigHook(
      plugins[0]!,
      project({ d1_databases: [{ binding: "DB", database_id: "db", remote: true }] }),
    );
    expect(given).toEqual({ remoteBindings: false });
  });

  test("for remote bindings, adds the proxy client, whose files hold no credential", async () => {
    const secret = "a-secret-that-no-file-may-hold";
    process.env.CLOUDFLARE_ACCESS_CLIENT_ID = "3f9c1a2b4d5e6f708192a3b4c5d6e7f8.access";
    process.env.CLOUDFLARE_ACCESS_CLIENT_SECRET = secret;
    try {
      const user: PluginConfig = { auxiliaryWorkers: [{ configPath: "other/wrangler.json" }] };
      const { plugins, given } = withRecordedOptions(user, {
        remoteUrl: "https://bindings-proxy.example.workers.dev",
      });
      const root = project({
        d1_databases: [{ binding: "DB", database_id: "db", remote: true }],
        env: { staging: {} },
      });
      await runConfigHook(plugins[0]!, root);
      const clientConfig = path.join(
        root,
        ".wrangler/access-bridge/vite/proxy-client/wrangler.json",
      );
      expect(given.auxiliaryWorkers).toEqual([
        ...user.auxiliaryWorkers!,
        { configPath: clientConfig },
      ]);
      expect(given.config).toBeTypeOf("function");
      const written = readFileSync(clientConfig, "utf8");
      const name = (JSON.parse(written) as { name: string }).name;
      expect(name).toMatch(/^access-bridge-proxy-client-[0-9a-f]{8}$/);
      expect(JSON.parse(written)).toMatchObject({
        name,
        main: "virtual:access-bridge/proxy-client",
        vars: { accessClientId: "", accessClientSecret: "", accessToken: "" },
        secrets: { required: [] },
        env: { staging: { name } },
      });
      const folder = path.dirname(clientConfig);
      expect(readdirSync(folder).sort()).toEqual([".env", "wrangler.json"]);
      expect(readFileSync(path.join(folder, ".env"), "utf8")).toContain(
        "accessClientSecret=${CLOUDFLARE_ACCESS_CLIENT_SECRET}",
      );
      for (const file of readdirSync(folder)) {
        expect(readFileSync(path.join(folder, file), "utf8")).not.toContain(secret);
      }
    } finally {
      delete process.env.CLOUDFLARE_ACCESS_CLIENT_ID;
      delete process.env.CLOUDFLARE_ACCESS_CLIENT_SECRET;
    }
  });

  test("runs the user's own config customizer first, merged as the Cloudflare plugin merges it", async () => {
    const user: PluginConfig = {
      config: (config) => {
        config.compatibility_flags.push("nodejs_compat");
        return { vars: { STAGE: "dev" } };
      },
    };
    const { plugins, given } = withRecordedOptions(user, {
      remoteUrl: "https://bindings-proxy.example.workers.dev",
    });
    const root = project({
      d1_databases: [{ binding: "DB", database_id: "db", remote: true }],
      vars: { TITLE: "app" },
    });
    await runConfigHook(plugins[0]!, root);
    const config = unstable_readConfig(
      { config: path.join(root, "wrangler.json") },
      { hideWarnings: true },
    );
    const customize = given.config as (config: unknown) => unknown;
    expect(customize(config)).toBeUndefined();
    expect(config.compatibility_flags).toEqual(["nodejs_compat"]);
    expect(config.vars).toEqual({ TITLE: "app", STAGE: "dev" });
    expect(config.d1_databases).toEqual([]);
    const clientConfig = path.join(root, ".wrangler/access-bridge/vite/proxy-client/wrangler.json");
    const { name } = JSON.parse(readFileSync(clientConfig, "utf8")) as { name: string };
    expect(config.services).toEqual([
      {
        binding: "DB",
        service: name,
        props: {
          binding: "DB",
          type: "d1",
          remoteUrl: "https://bindings-proxy.example.workers.dev/",
        },
      },
    ]);
  });

  test("names the proxy client once per project: the same across a restart, another for another project", async () => {
    const options = { remoteUrl: "https://bindings-proxy.example.workers.dev" };
    const config = { d1_databases: [{ binding: "DB", database_id: "db", remote: true }] };
    const clientName = (root: string) =>
      (
        JSON.parse(
          readFileSync(
            path.join(root, ".wrangler/access-bridge/vite/proxy-client/wrangler.json"),
            "utf8",
          ),
        ) as { name: string }
      ).name;
    const first = project(config);
    const second = project(config);
    await runConfigHook(withRecordedOptions({}, options).plugins[0]!, first);
    const name = clientName(first);
    // A restart sets the plugins up again (new instances, same process): the file stays as it
    // is, or the Cloudflare plugin, which restarts on a Worker config's change, would loop.
    await runConfigHook(withRecordedOptions({}, options).plugins[0]!, first);
    expect(clientName(first)).toBe(name);
    // wrangler's dev registry is machine-wide: another project's proxy client is another Worker.
    await runConfigHook(withRecordedOptions({}, options).plugins[0]!, second);
    expect(clientName(second)).toMatch(/^access-bridge-proxy-client-[0-9a-f]{8}$/);
    expect(clientName(second)).not.toBe(name);
  });

  test("refuses an environment that would copy the credentials into every Worker", async () => {
    const { plugins } = withRecordedOptions(
      {},
      { remoteUrl: "https://bindings-proxy.example.workers.dev" },
    );
    process.env.CLOUDFLARE_INCLUDE_PROCESS_ENV = "true";
    try {
      await expect(
        runConfigHook(
          plugins[0]!,
          project({ services: [{ binding: "API", service: "api", remote: true }] }),
        ),
      ).rejects.toThrow(/\[ERR_UNSAFE_ENVIRONMENT\] CLOUDFLARE_INCLUDE_PROCESS_ENV=true/);
    } finally {
      delete process.env.CLOUDFLARE_INCLUDE_PROCESS_ENV;
    }
  });

  test("refuses a remote URL that is not http(s)", async () => {
    const { plugins } = withRecordedOptions(
      {},
      { remoteUrl: "bindings-proxy.example.workers.dev" },
    );
    await expect(
      runConfigHook(
        plugins[0]!,
        project({ services: [{ binding: "API", service: "api", remote: true }] }),
      ),
    ).rejects.toThrow(
      /\[ERR_INVALID_OPTION\] accessBridge\(…, \{ remoteUrl \}\) must be the http\(s\) URL/,
    );
  });
});
