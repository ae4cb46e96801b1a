// `dev` and `doctor` against a proxy server in OAuth mode (issue 14), driven as a user would: the
// built CLI signs in with `login --remote` (the Access emulator's Access for SaaS application
// behind the proxy's sign-in, a scripted browser in front), then `dev` runs the user's own
// wrangler with the stored sign-in as the bearer token, and `doctor` reports the mode.
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "vitest";
import { captureForCanaryCheck, watchSecret } from "@access-bridge/test-support/test-canary";
import { location, ScriptedBrowser, signIn } from "@access-bridge/test-support/oauth-browser";
import {
  startBearerRemote,
  tokenHash,
  type BearerRemote,
} from "@access-bridge/test-support/bearer-remote";
import { cli, loginEnvironment, runCli, type CliResult } from "./support/login-cli.js";

async function logInToRemote(remote: BearerRemote, env: Record<string, string>, configDir: string) {
  const run = runCli(["login", "--remote", remote.origin, "--no-browser"], { env });
  const [, authorizationUrl] = await run.waitFor(
    /^ {2}(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+)$/m,
  );
  const browser = new ScriptedBrowser();
  const { callback } = await signIn(browser, authorizationUrl!);
  expect((await browser.get(location(callback))).status).toBe(200);
  expect((await run.exited).code).toBe(0);
  const dir = path.join(configDir, "tokens");
  const [file] = await readdir(dir);
  const stored = JSON.parse(await readFile(path.join(dir, file!), "utf8")) as {
    clientId: string;
    accessToken: string;
    refreshToken: string;
    expiresAt: number;
  };
  watchSecret(stored.accessToken, stored.refreshToken);
  return stored;
}

function expectNoLeak(result: CliResult, secrets: string[]): void {
  captureForCanaryCheck("cli output", `${result.stdout}\n${result.stderr}`);
  for (const secret of secrets) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
}

async function project(dir: string): Promise<string> {
  await writeFile(
    path.join(dir, "worker.js"),
    `export default { async fetch(request, env) {
      const greeting = await env.API.greet("dev");
      const answer = await env.API.fetch("https://api.internal/hello");
      return new Response(greeting + " / " + answer.status + " / env holds " + Object.keys(env).join(","));
    } };`,
  );
  await writeFile(
    path.join(dir, "wrangler.jsonc"),
    JSON.stringify({
      name: "oauth-dev",
      main: "worker.js",
      compatibility_date: "2026-04-01",
      services: [{ binding: "API", service: "api", remote: true }],
    }),
  );
  return dir;
}

test("dev sends the sign-in login --remote stored, as Authorization: Bearer, on the HTTP path and the RPC upgrade", async () => {
  const remote = await startBearerRemote();
  const { env, configDir } = await loginEnvironment();
  const stored = await logInToRemote(remote, env, configDir);
  const cwd = await project(env.HOME!);

  const dev = runCli(["dev", "--port", "0", "--remote-url", remote.origin], { env, cwd });
  await dev.waitFor(
    /Remote bindings \(1: API\) go to http:\/\/127\.0\.0\.1:\d+, with your sign-in \(access-bridge login --remote\), renewed as it expires\./,
  );
  const [, url] = await dev.waitFor(/Ready on (http:\/\/[^\s]+:\d+)/);
  expect(await (await fetch(url!)).text()).toBe("hello dev / 200 / env holds API");
  const bearer = tokenHash(stored.accessToken);
  expect(await remote.seen()).toEqual([
    { path: "rpc", method: "GET", bearer },
    { path: "http", method: "GET", bearer },
  ]);
  dev.kill("SIGINT");
  const result = await dev.exited;
  // The broker's key is a secret binding of the proxy client alone: wrangler lists it hidden.
  expect(result.stdout).toContain('env.ACCESS_BRIDGE_TOKEN_BROKER_KEY ("(hidden)")');
  expectNoLeak(result, [stored.accessToken, stored.refreshToken]);
});

test("doctor recognises OAuth mode: without a sign-in it says what to run; with one it checks the bindings with the token", async () => {
  const remote = await startBearerRemote();
  const { env, configDir } = await loginEnvironment();
  const cwd = await project(env.HOME!);

  const before = await cli(["doctor", "--remote-url", remote.origin], { env, cwd });
  expect(before.code).toBe(1);
  expect(before.stdout).toContain(
    "✓ Cloudflare Access does not protect it, but it is a proxy server in OAuth mode: every binding call needs a sign-in (Authorization: Bearer).",
  );
  expect(before.stdout).toContain(
    "✘ You have not signed in to this proxy server, so it will refuse every binding call (401).",
  );
  expect(before.stdout).toContain(`fix: Run \`access-bridge login --remote ${remote.origin}\``);
  expect(before.stdout).not.toContain("does not look like a remote-bindings proxy server");

  const stored = await logInToRemote(remote, env, configDir);
  const after = await cli(["doctor", "--remote-url", remote.origin], { env, cwd });
  expect(after.stdout).toMatch(
    /✓ The proxy server accepts your sign-in \(access-bridge login --remote\); its access token is valid until .+ and is renewed as it expires\./,
  );
  expect(after.stdout).toContain("✓ The proxy server speaks the remote-bindings protocol.");
  expect(after.stdout).toContain("✓ The proxy server exposes API.");
  expect(after.stdout).toContain("All checks passed.");
  expect(after.code).toBe(0);
  expect(
    (await remote.seen()).every(
      (request) => request.bearer === tokenHash(stored.accessToken) || request.bearer === null,
    ),
  ).toBe(true);

  // A revoked sign-in: the token is refused.
  await remote.revoke(stored, "access_token");
  const revoked = await cli(["doctor", "--remote-url", remote.origin], { env, cwd });
  expect(revoked.code).toBe(1);
  expect(revoked.stdout).toContain(
    "✘ The proxy server refused your sign-in's access token (401): it was revoked, or the sign-in ran out.",
  );
  for (const result of [before, after, revoked]) {
    expectNoLeak(result, [stored.accessToken, stored.refreshToken]);
  }
});
