// The example app under `npm run dev`, driven by headless Chromium: its remote D1 database and
// greeter service are those of a remote behind the Access emulator, reached through
// @access-bridge/vite; its KV namespace stays local. Then an edit of the client (HMR), an edit
// of the Worker (a Worker reload), and where the credentials are and are not.
import { randomUUID } from "node:crypto";
import type { Page, Response as PageResponse } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchChromium, type Browser } from "./support/browser.js";
import { copyExample, type ExampleProject } from "./support/example-project.js";
import { startGuestbookRemote, type GuestbookRemote } from "./support/guestbook-remote.js";
import { startDevServer, type RunningProcess } from "./support/vite-process.js";

const SERVED_BY = `the remote greeter ${randomUUID().slice(0, 8)}`;
const SEEDED = { author: "Remote", message: `Seeded on the remote ${randomUUID().slice(0, 8)}` };

// A route for this test only, added to the copy: what the app Worker's env holds, as a handler
// sees it and as `import { env } from "cloudflare:workers"` does.
const ENV_ROUTE = `if (url.pathname === "/api/env") {
      const workers = await import("cloudflare:workers");
      const describe = (bindings: object) => ({
        keys: Object.keys(bindings).sort(),
        strings: Object.values(bindings).filter((value) => typeof value === "string"),
        prepare: typeof (bindings as { DB: D1Database }).DB.prepare,
      });
      return Response.json({ handler: describe(env), cloudflareWorkers: describe(workers.env) });
    }
    `;

let remote: GuestbookRemote;
let project: ExampleProject;
let dev: RunningProcess & { url: URL };
let browser: Browser;
let page: Page;
const received: PageResponse[] = [];

const rpcSessions = () =>
  remote.access.decisions.filter(
    (decision) => decision.websocket && decision.outcome === "allowed",
  );

async function text(testId: string): Promise<string> {
  return (await page.getByTestId(testId).textContent()) ?? "";
}

beforeAll(async () => {
  remote = await startGuestbookRemote({ servedBy: SERVED_BY });
  await remote.seed([SEEDED]);
  project = copyExample("dev");
  project.edit(
    "src/worker/index.ts",
    'if (url.pathname === "/api/board"',
    `${ENV_ROUTE}if (url.pathname === "/api/board"`,
  );
  dev = await startDevServer(project.dir, {
    ACCESS_BRIDGE_REMOTE_URL: remote.url,
    CLOUDFLARE_ACCESS_CLIENT_ID: remote.token.clientId,
    CLOUDFLARE_ACCESS_CLIENT_SECRET: remote.token.clientSecret,
  });
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on("response", (response) => received.push(response));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await dev?.stop();
  await remote?.dispose();
  project?.remove();
}, 60_000);

describe("npm run dev of the example, in Chromium", { timeout: 90_000 }, () => {
  test("the page shows the remote database's entries and the remote greeter's greeting", async () => {
    await page.goto(dev.url.href);
    await page.getByTestId("entries").waitFor();
    expect(await text("greeting")).toBe(`Hello, visitor! (from ${SERVED_BY})`);
    expect(await text("entries")).toContain(`${SEEDED.author}: ${SEEDED.message}`);
    expect(await text("meta")).toMatch(/^API v1 · visit \d+$/);
    // Both remote bindings went through Access with the service token: one RPC session each.
    expect(rpcSessions()).toHaveLength(2);
    expect(rpcSessions().every((decision) => decision.credential === "service_token")).toBe(true);
    expect(dev.output()).toContain(
      `[access-bridge] Remote bindings (DB, GREETER) go to ${new URL(remote.url).origin}, with an Access service token (client id ${remote.token.clientId.slice(0, 8)}…).`,
    );
  });

  test("signing the guestbook in the page writes to the remote database", async () => {
    const message = `Signed in Chromium ${randomUUID().slice(0, 8)}`;
    await page.getByPlaceholder("Your name").fill("Ada");
    await page.getByPlaceholder("Say something").fill(message);
    await page.getByRole("button", { name: "Sign" }).click();
    await page.getByText(`Ada: ${message}`).waitFor();
    expect(await remote.entries()).toEqual([SEEDED, { author: "Ada", message }]);
  });

  test("an edit of the client is hot-updated in the page without a reload", async () => {
    // In the page (strings: this file is type-checked without the DOM's types).
    await page.evaluate("window.beforeEdit = true");
    project.edit("src/client/App.tsx", "<h1>Guestbook</h1>", "<h1>Guestbook, edited</h1>");
    await page.waitForFunction(`document.querySelector("h1")?.textContent === "Guestbook, edited"`);
    expect(await page.evaluate("window.beforeEdit")).toBe(true);
    expect(await text("greeting")).toBe(`Hello, visitor! (from ${SERVED_BY})`);
  });

  test("after an edit of the Worker, the next page load reads remote data over the same sessions", async () => {
    const sessions = rpcSessions().length;
    const visitsBefore = Number(/visit (\d+)/.exec(await text("meta"))![1]);
    const from = dev.output().length;
    project.edit("src/worker/index.ts", 'const API_VERSION = "1"', 'const API_VERSION = "2"');
    // The Worker's module runner prints this once it has re-run the edited modules.
    await dev.waitFor(/hot updated: virtual:cloudflare\/worker-entry/, from);
    await page.reload();
    await page.getByTestId("entries").waitFor();
    expect(await text("meta")).toMatch(/^API v2 · visit \d+$/);
    // VISITS, a local KV namespace, kept its count across the reload.
    expect(Number(/visit (\d+)/.exec(await text("meta"))![1])).toBeGreaterThan(visitsBefore);
    expect(await text("greeting")).toBe(`Hello, visitor! (from ${SERVED_BY})`);
    expect(await text("entries")).toContain(`${SEEDED.author}: ${SEEDED.message}`);
    // The proxy client is a Worker of its own, untouched by the reload: no new RPC session.
    expect(rpcSessions()).toHaveLength(sessions);
  });

  test("the credentials reach neither the app Worker's env, nor the browser, nor the log", async () => {
    const envs = await page.evaluate(async () => (await fetch("/api/env")).json());
    const expected = { keys: ["DB", "GREETER", "VISITS"], strings: [], prepare: "function" };
    expect(envs).toEqual({ handler: expected, cloudflareWorkers: expected });
    const secrets = [remote.token.clientSecret, remote.token.clientId];
    const bodies = await Promise.all(
      received.map(async (response) =>
        (await response.body().catch(() => Buffer.alloc(0))).toString(),
      ),
    );
    expect(bodies.length).toBeGreaterThan(3);
    for (const secret of secrets) {
      expect(bodies.filter((body) => body.includes(secret))).toEqual([]);
      expect(dev.output()).not.toContain(secret);
    }
  });
});
