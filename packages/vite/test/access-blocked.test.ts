// When Access refuses the credentials, a Vite user reads why in the dev server's log (the proxy
// client writes it there, once per binding and host), and the rejected secret is not in it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { generatedDir } from "@access-bridge/dev-session";
import { CREDENTIAL_SOURCE_BINDING } from "@access-bridge/remote-bindings";
import { copyExample, type ExampleProject } from "./support/example-project.js";
import { startGuestbookRemote, type GuestbookRemote } from "./support/guestbook-remote.js";
import { startDevServer, type RunningProcess } from "./support/vite-process.js";

const WRONG_SECRET = "0123456789abcdef-not-the-secret-of-this-token";

let remote: GuestbookRemote;
let project: ExampleProject;
let dev: RunningProcess & { url: URL };

beforeAll(async () => {
  remote = await startGuestbookRemote({ servedBy: "the remote greeter" });
  project = copyExample("blocked");
  dev = await startDevServer(project.dir, {
    ACCESS_BRIDGE_REMOTE_URL: remote.url,
    CLOUDFLARE_ACCESS_CLIENT_ID: remote.token.clientId,
    CLOUDFLARE_ACCESS_CLIENT_SECRET: WRONG_SECRET,
  });
}, 120_000);

afterAll(async () => {
  await dev?.stop();
  await remote?.dispose();
  project?.remove();
}, 60_000);

const GUIDANCE =
  /\[access-bridge\] Cloudflare Access rejected the credentials for remote binding "(DB|GREETER)"[^]*?"Service Auth"/;

test(
  "a refused service token: the API fails, and the log says why and what to do",
  { timeout: 60_000 },
  async () => {
    const from = dev.output().length;
    const response = await fetch(new URL("/api/board", dev.url));
    expect(response.status).toBe(500);
    await response.body?.cancel();
    const [guidance] = await dev.waitFor(GUIDANCE, from);
    expect(guidance).toContain(`at ${new URL(remote.url).host}`);
    expect(guidance).toContain(`CF-Access-Client-Id ${remote.token.clientId.slice(0, 8)}…`);
    // The request failed with the proxy client's error, its code included.
    await dev.waitFor(/RemoteBindingsError: \[ERR_ACCESS_CREDENTIALS_REJECTED\]/, from);
    expect(remote.access.decisions.some((decision) => decision.outcome === "blocked")).toBe(true);
    expect(dev.output()).not.toContain(WRONG_SECRET);
  },
);

test("the proxy client is told where its credential came from (not a secret), for its advice", () => {
  const config = path.join(generatedDir(project.dir, "vite"), "proxy-client", "wrangler.json");
  const client = JSON.parse(readFileSync(config, "utf8")) as { vars: Record<string, string> };
  expect(client.vars[CREDENTIAL_SOURCE_BINDING]).toBe("environment");
});
