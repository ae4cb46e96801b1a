// `vite build` of the example, with accessBridge() and with the Cloudflare plugin alone: the
// output must be the same, byte for byte. The production Worker keeps its real remote bindings
// and no proxy client is built, even with a remote URL and credentials in the environment.
import { readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { copyExample, type ExampleProject } from "./support/example-project.js";
import { startProcess } from "./support/vite-process.js";

const PLAIN_CONFIG = `import { cloudflare } from "@cloudflare/vite-plugin";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react(), cloudflare()],
});
`;

let project: ExampleProject;

beforeAll(() => {
  project = copyExample("build");
});

afterAll(() => project?.remove());

async function viteBuild(configFile: string, env: Record<string, string> = {}): Promise<void> {
  const build = startProcess("npx", ["vite", "build", "--config", configFile], {
    cwd: project.dir,
    env,
  });
  const code = await build.exited;
  await build.stop();
  expect(code, build.output()).toBe(0);
}

/** Every file under `dir`, by its path relative to it. */
function tree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, file), readFileSync(file));
  }
  return files;
}

test(
  "vite build writes the same output with accessBridge() as with the Cloudflare plugin alone",
  { timeout: 120_000 },
  async () => {
    await viteBuild("vite.config.ts", {
      ACCESS_BRIDGE_REMOTE_URL: "https://bindings-proxy.example.workers.dev",
      CLOUDFLARE_ACCESS_CLIENT_ID: "3f9c1a2b4d5e6f708192a3b4c5d6e7f8.access",
      CLOUDFLARE_ACCESS_CLIENT_SECRET: "build-must-not-see-this-secret",
    });
    renameSync(path.join(project.dir, "dist"), path.join(project.dir, "dist-with-access-bridge"));
    writeFileSync(path.join(project.dir, "vite.config.plain.ts"), PLAIN_CONFIG);
    await viteBuild("vite.config.plain.ts");

    const withPlugin = tree(path.join(project.dir, "dist-with-access-bridge"));
    const plain = tree(path.join(project.dir, "dist"));
    expect([...withPlugin.keys()].sort()).toEqual([...plain.keys()].sort());
    for (const [file, contents] of plain) {
      expect(withPlugin.get(file)?.equals(contents), `${file} differs`).toBe(true);
    }

    // What is deployed is the app Worker with its real bindings, and nothing of access-bridge.
    const deployed = JSON.parse(
      plain.get(path.join("vite_react_guestbook", "wrangler.json"))!.toString(),
    ) as Record<string, unknown>;
    expect(deployed).toMatchObject({
      name: "vite-react-guestbook",
      d1_databases: [{ binding: "DB", remote: true }],
      services: [{ binding: "GREETER", service: "guestbook-greeter", remote: true }],
      kv_namespaces: [{ binding: "VISITS" }],
    });
    expect([...plain.keys()].filter((file) => /access.bridge|proxy.client/i.test(file))).toEqual(
      [],
    );
    // The Cloudflare plugin writes .wrangler/deploy/ for `wrangler deploy`; nothing of ours is there.
    expect(readdirSync(path.join(project.dir, ".wrangler"))).toEqual(["deploy"]);
  },
);
