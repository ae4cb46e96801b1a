// Two projects' `access-bridge dev` at once, on one machine. wrangler registers every Worker it
// runs, by name, in its dev registry (one folder per machine); anything that finds a Worker there
// (another `wrangler dev`, a framework's getPlatformProxy()) must reach the proxy client of the
// session whose config it reads, never another project's, which holds that project's credentials
// and sends to that project's remote.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { READY, sandbox } from "@access-bridge/test-support/cli-process";

const WORKER = `export default {
  async fetch(request, env) {
    if (request.method === "PUT") {
      await env.KV.put("who", await request.text());
      return new Response("stored");
    }
    return new Response((await env.KV.get("who")) ?? "nothing stored");
  },
};
`;

/** A project whose one remote binding, KV, goes to its own embedded remote. */
function writeProject(parent: string, name: string): string {
  const dir = path.join(parent, name);
  mkdirSync(path.join(dir, "src"), { recursive: true });
  writeFileSync(path.join(dir, "src/index.js"), WORKER);
  writeFileSync(
    path.join(dir, "wrangler.json"),
    JSON.stringify({
      name,
      main: "src/index.js",
      compatibility_date: "2025-09-01",
      kv_namespaces: [{ binding: "KV", id: `${name}-kv`, remote: true }],
    }),
  );
  return dir;
}

async function text(url: string, init?: RequestInit): Promise<string> {
  const response = await fetch(url, init);
  return `${response.status} ${await response.text()}`;
}

describe("access-bridge dev in two projects at once", () => {
  it("each session's proxy client has a name of its own in the dev registry, and each Worker reaches its own remote", async () => {
    const box = sandbox();
    const registry = path.join(box.dir, "registry");
    const env = { WRANGLER_REGISTRY_PATH: registry };
    const first = writeProject(box.dir, "project-b");
    const second = writeProject(box.dir, "project-a");

    const devB = box.startCli(["dev", "--port", "0"], { cwd: first, env });
    const [, urlB] = await devB.waitFor(READY);
    // Started second, so with one fixed name its registration would be the one left.
    const devA = box.startCli(["dev", "--port", "0"], { cwd: second, env });
    const [, urlA] = await devA.waitFor(READY);

    expect(await text(urlA!, { method: "PUT", body: "from project a" })).toBe("200 stored");
    expect(await text(urlB!, { method: "PUT", body: "from project b" })).toBe("200 stored");
    expect(await text(urlA!)).toBe("200 from project a");
    expect(await text(urlB!)).toBe("200 from project b");

    const clients = readdirSync(registry).filter((name) =>
      name.startsWith("access-bridge-proxy-client"),
    );
    expect(clients).toHaveLength(2);

    // Each project's Worker in a wrangler dev of its own, as a second tool would run it: its
    // proxy client is found through the registry, by the name in the project's generated config.
    for (const [project, expected] of [
      [first, "200 from project b"],
      [second, "200 from project a"],
    ] as const) {
      const other = box.startWrangler(
        ["dev", "-c", ".wrangler/access-bridge/dev/wrangler.json", "--port", "0"],
        { cwd: project, env },
      );
      const [, url] = await other.waitFor(READY);
      expect(await text(url!)).toBe(expected);
      await other.stop("SIGINT");
    }

    expect((await devA.stop("SIGINT")).code).toBe(130);
    expect((await devB.stop("SIGINT")).code).toBe(130);
  }, 240_000);
});
