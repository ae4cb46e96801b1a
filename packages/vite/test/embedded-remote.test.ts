// `npm run dev` with no remote URL: the remote bindings go to the embedded remote (the proxy
// server behind the Access emulator, with local stand-ins), as with `access-bridge dev`.
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import {
  copyExample,
  copyProject,
  FIXTURES_DIR,
  type ExampleProject,
} from "./support/example-project.js";
import { startDevServer, type RunningProcess } from "./support/vite-process.js";

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 60_000);

async function devServer(project: ExampleProject): Promise<RunningProcess & { url: URL }> {
  cleanups.push(() => project.remove());
  const dev = await startDevServer(project.dir);
  cleanups.push(() => dev.stop());
  return dev;
}

async function getJson(url: URL | string): Promise<unknown> {
  const response = await fetch(url);
  expect(response.status, await response.clone().text()).toBe(200);
  return response.json();
}

test(
  "the example runs against the embedded remote, which outlives a restart of the dev server",
  { timeout: 120_000 },
  async () => {
    const project = copyExample("embedded");
    const dev = await devServer(project);
    expect(dev.output()).toContain(
      "[access-bridge] Remote bindings (DB, GREETER) go to an embedded remote on loopback behind an emulated Cloudflare Access.",
    );
    const board = new URL("/api/board?name=Ada", dev.url);
    // The greeter's stand-in, named in the example's access-bridge.jsonc; an empty database.
    expect(await getJson(board)).toMatchObject({
      greeting: { text: "Hello, Ada!", servedBy: "guestbook-greeter" },
      entries: [],
    });
    const signed = await fetch(new URL("/api/entries", dev.url), {
      method: "POST",
      body: JSON.stringify({ author: "Ada", message: "Kept by the embedded remote" }),
    });
    expect(signed.status).toBe(201);

    // A change to the Worker's config restarts the dev server (the Cloudflare plugin does).
    const from = dev.output().length;
    project.edit(
      "wrangler.jsonc",
      '"compatibility_date": "2026-04-01"',
      '"compatibility_date": "2026-04-02"',
    );
    await dev.waitFor(/server restarted/, from);
    expect(await getJson(board)).toMatchObject({
      entries: [{ author: "Ada", message: "Kept by the embedded remote" }],
    });
    expect(dev.output().slice(from)).not.toContain("embedded remote did not start");
  },
);

test(
  "every export the runner constructs or calls gets the facades: entrypoints, Durable Objects, cloudflare:workers",
  { timeout: 120_000 },
  async () => {
    const dev = await devServer(copyProject(path.join(FIXTURES_DIR, "entrypoints"), "entrypoints"));
    const facade = { prepare: "function", one: 1 };
    expect(await getJson(dev.url)).toEqual({
      defaultEntrypoint: facade,
      cloudflareWorkers: facade,
      namedEntrypoint: facade,
      durableObject: { constructorEnv: facade, thisEnv: facade },
    });
  },
);
