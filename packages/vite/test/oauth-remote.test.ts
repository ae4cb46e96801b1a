// `vite dev` against a proxy server in OAuth mode (issue 14): the sign-in `access-bridge login
// --remote` stored for it reaches the proxy client through a loopback token broker of the dev
// server's process, and every call carries it as Authorization: Bearer.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, onTestFinished, test } from "vitest";
import { TokenStore } from "@access-bridge/auth-relay";
import { signInTo, startBearerRemote, tokenHash } from "@access-bridge/test-support/bearer-remote";
import { captureForCanaryCheck } from "@access-bridge/test-support/test-canary";
import { copyProject, FIXTURES_DIR } from "./support/example-project.js";
import { startDevServer } from "./support/vite-process.js";

test(
  "the stored login --remote sign-in goes with every call, as Authorization: Bearer",
  { timeout: 120_000 },
  async () => {
    const remote = await startBearerRemote();
    const configDir = await mkdtemp(path.join(os.tmpdir(), "access-bridge-vite-oauth-"));
    onTestFinished(() => rm(configDir, { recursive: true, force: true }));
    const store = new TokenStore(path.join(configDir, "tokens"));
    const stored = await signInTo(remote, store);

    const project = copyProject(path.join(FIXTURES_DIR, "oauth-remote"), "oauth-remote");
    onTestFinished(() => project.remove());
    const dev = await startDevServer(project.dir, {
      ACCESS_BRIDGE_REMOTE_URL: remote.origin,
      ACCESS_BRIDGE_CONFIG_DIR: configDir,
    });
    onTestFinished(() => dev.stop());
    await dev.waitFor(
      /\[access-bridge\] Remote bindings \(API\) go to http:\/\/127\.0\.0\.1:\d+, with your sign-in \(access-bridge login --remote\), renewed as it expires\./,
    );

    const response = await fetch(dev.url);
    expect(await response.text()).toBe("hello vite / 200");
    const bearer = tokenHash(stored.accessToken);
    expect(await remote.seen()).toEqual([
      { path: "rpc", method: "GET", bearer },
      { path: "http", method: "GET", bearer },
    ]);
    captureForCanaryCheck("vite dev output", dev.output());
    expect(dev.output()).not.toContain(stored.accessToken);
    expect(dev.output()).not.toContain(stored.refreshToken);
  },
);
