// `access-bridge login / whoami / logout`, driven as a user would: the built CLI in a child
// process, a real authorization server (workers-oauth-provider in workerd), the real relay
// bundle, and a scripted browser that reads the URL the CLI prints.
import { chmod, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { startAccessEmulator } from "@access-bridge/access-emulator";
import { proxyServerScriptPath } from "@access-bridge/remote-bindings";
import { expect, onTestFinished, test } from "vitest";
import { startDeviceServer } from "@access-bridge/test-support/device-server";
import { fakeCloudflared } from "@access-bridge/test-support/fake-cloudflared";
import { consentInBrowser, visit } from "@access-bridge/test-support/oauth-server-consent";
import { startOAuthServer } from "@access-bridge/test-support/start-oauth-server";
import { startRelay, CONSENT_GRANTED_URL } from "@access-bridge/test-support/start-relay";
import { location, ScriptedBrowser, signIn } from "@access-bridge/test-support/oauth-browser";
import { bindingFetch } from "@access-bridge/test-support/oauth-client";
import { setUp as setUpOAuthProxy } from "@access-bridge/test-support/oauth-setup";
import { cli, loginEnvironment, runCli, type CliResult } from "./support/login-cli.js";

const AUTHORIZATION_URL = /^ {2}(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)$/m;

/** Reads every token file under the config directory, so a test can look for leaks. */
async function storedSecrets(configDir: string): Promise<string[]> {
  const secrets: string[] = [];
  for (const sub of ["tokens", "access"]) {
    const dir = path.join(configDir, sub);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const stored = JSON.parse(await readFile(path.join(dir, name), "utf8")) as Record<
        string,
        unknown
      >;
      for (const key of ["accessToken", "refreshToken", "token"]) {
        if (typeof stored[key] === "string") secrets.push(stored[key]);
      }
    }
  }
  return secrets;
}

function expectNoLeak(result: CliResult, secrets: string[]): void {
  for (const secret of secrets) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
}

/** A user-facing error: one ✘ line of what/why/what to do, no stack. */
function expectCleanError(result: CliResult, code: number): void {
  expect(result.code).toBe(code);
  expect(result.stderr).toMatch(/^✘ /);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

test("login --issuer through the localhost transport, then whoami and logout", async () => {
  const { issuer } = await startOAuthServer();
  const { env, configDir } = await loginEnvironment();

  const run = runCli(["login", "--issuer", issuer, "--no-browser"], { env });
  const [, authorizationUrl] = await run.waitFor(AUTHORIZATION_URL);
  const redirectUri = new URL(authorizationUrl!).searchParams.get("redirect_uri")!;
  expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
  const callback = await consentInBrowser(authorizationUrl!, "approve");
  const code = callback.searchParams.get("code")!;
  expect((await visit(callback)).status).toBe(200);

  const result = await run.exited;
  expect(result.code).toBe(0);
  expect(result.stderr).toContain("Signing in with the localhost transport");
  expect(result.stdout).toContain(`✓ Logged in to ${issuer} (localhost transport).`);
  const [file] = await readdir(path.join(configDir, "tokens"));
  const tokenFile = path.join(configDir, "tokens", file!);
  expect(result.stdout).toContain(`Stored in ${tokenFile}`);
  expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
  const secrets = await storedSecrets(configDir);
  expect(secrets.length).toBeGreaterThanOrEqual(2);
  expectNoLeak(result, [...secrets, code]);

  // The stored token is the user's: the API behind the issuer accepts it.
  const api = await fetch(`${issuer}/api/me`, {
    headers: { Authorization: `Bearer ${secrets[0]}` },
  });
  expect(await api.json()).toEqual({ userId: "ada" });

  const who = await cli(["whoami"], { env });
  expect(who.code).toBe(0);
  expect(who.stdout).toContain(issuer);
  expect(who.stdout).toMatch(
    /access token expires at .* \(in \d+ minutes\); renewed automatically/,
  );
  expectNoLeak(who, secrets);
  const json = await cli(["whoami", "--json"], { env });
  expect(JSON.parse(json.stdout)).toMatchObject({
    issuers: [{ issuer, refreshable: true, expired: false, file: tokenFile }],
    access: [],
  });
  expectNoLeak(json, secrets);

  // A trailing slash is the same issuer; the test server supports RFC 7009 revocation.
  const out = await cli(["logout", "--issuer", `${issuer}/`], { env });
  expect(out.code).toBe(0);
  expect(out.stdout).toContain(`✓ Logged out of ${issuer}: the server revoked the tokens`);
  const revoked = await fetch(`${issuer}/api/me`, {
    headers: { Authorization: `Bearer ${secrets[0]}` },
  });
  expect(revoked.status).toBe(401);
  expect(await readdir(path.join(configDir, "tokens"))).toEqual([]);

  const after = await cli(["whoami"], { env });
  expectCleanError(after, 1);
  expect(after.stderr).toContain("Not logged in to anything");
  const again = await cli(["logout", "--issuer", issuer], { env });
  expect(again).toMatchObject({ code: 0 });
  expect(again.stdout).toContain(`Not logged in to ${issuer}; nothing to remove.`);
});

test("login --issuer --relay: the browser's callback reaches the CLI through the relay", async () => {
  const { issuer } = await startOAuthServer();
  const relay = await startRelay();
  const { env, configDir } = await loginEnvironment();

  const run = runCli(["login", "--issuer", issuer, "--relay", relay.origin, "--no-browser"], {
    env,
  });
  const [, authorizationUrl] = await run.waitFor(AUTHORIZATION_URL);
  expect(new URL(authorizationUrl!).searchParams.get("redirect_uri")).toBe(
    `${relay.origin}/callback`,
  );
  const callback = await consentInBrowser(authorizationUrl!, "approve");
  expect(callback.origin).toBe(relay.origin);
  const page = await visit(callback);
  expect(page.status).toBe(307);
  expect(page.headers.get("location")).toBe(CONSENT_GRANTED_URL);

  const result = await run.exited;
  expect(result.code).toBe(0);
  expect(result.stderr).toContain("Signing in with the relay transport (--relay given)");
  expect(result.stdout).toContain(`✓ Logged in to ${issuer} (relay transport).`);
  expectNoLeak(result, [...(await storedSecrets(configDir)), callback.searchParams.get("code")!]);
  expect((await cli(["whoami"], { env })).stdout).toContain(issuer);
});

test("login --issuer --device prints the verification URL and the user code, then stores the tokens", async () => {
  const device = await startDeviceServer({
    steps: ["authorization_pending", "approve"],
    interval: 1,
  });
  const { env, configDir } = await loginEnvironment();
  const result = await cli(["login", "--issuer", device.issuer, "--device", "--no-browser"], {
    env,
  });
  expect(result.code).toBe(0);
  expect(result.stderr).toContain("Signing in with the device transport.");
  expect(result.stderr).toContain(`  ${device.issuer}/device\n`);
  expect(result.stderr).toContain("and enter the code WDJB-MJHT");
  expect(result.stdout).toContain(`✓ Logged in to ${device.issuer} (device transport).`);
  expect(device.polls).toHaveLength(2);
  expectNoLeak(result, ["device-code-1", ...(await storedSecrets(configDir))]);
  expect(await storedSecrets(configDir)).toEqual(["device-access", "device-refresh"]);
});

test("a denied consent ends login with access_denied, exit 1, and stores nothing", async () => {
  const { issuer } = await startOAuthServer();
  const { env, configDir } = await loginEnvironment();
  const run = runCli(["login", "--issuer", issuer, "--no-browser"], { env });
  const [, authorizationUrl] = await run.waitFor(AUTHORIZATION_URL);
  // The browser gets its page before the CLI exits, not a reset connection.
  const page = await visit(await consentInBrowser(authorizationUrl!, "deny"));
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("Login not completed");

  const result = await run.exited;
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^✘ .*access_denied/m);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(await storedSecrets(configDir)).toEqual([]);
});

test("Ctrl-C while waiting for the browser cancels the login with exit 130", async () => {
  const { issuer } = await startOAuthServer();
  const { env } = await loginEnvironment();
  const run = runCli(["login", "--issuer", issuer, "--no-browser"], { env });
  await run.waitFor(AUTHORIZATION_URL);
  run.kill("SIGINT");
  const result = await run.exited;
  expect(result.code).toBe(130);
  expect(result.stderr).toContain("✘ Login cancelled; nothing was stored.");
});

/** An Access application in front of a plain origin, and a user token it accepts. */
async function accessApplication() {
  const access = await startAccessEmulator({
    origin: {
      worker: {
        modules: true,
        script: `export default { fetch: () => new Response("origin", { status: 404 }) };`,
      },
    },
    application: { type: "self_hosted" },
  });
  onTestFinished(() => access.dispose());
  return access;
}

test("login --access stores cloudflared's token; doctor sends it to that host; logout --access forgets it", async () => {
  const access = await accessApplication();
  const token = await access.issueUserToken("ada@example.com");
  const host = new URL(access.url).host;
  const fake = await fakeCloudflared({ token });
  const { env, configDir } = await loginEnvironment({ PATH: fake.env.PATH! });

  const result = await cli(["login", "--access", `https://${host}`], { env });
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(`✓ Got a Cloudflare Access token for ${host}; it expires at`);
  expectNoLeak(result, [token]);
  const calls = (await readFile(fake.log, "utf8")).trim().split("\n");
  expect(calls.map((line) => JSON.parse(line) as string[])).toEqual([
    ["access", "login", `https://${host}`],
    ["access", "token", `-app=https://${host}`],
  ]);
  const [file] = await readdir(path.join(configDir, "access"));
  expect((await stat(path.join(configDir, "access", file!))).mode & 0o777).toBe(0o600);
  expect((await stat(path.join(configDir, "access"))).mode & 0o777).toBe(0o700);

  const who = await cli(["whoami"], { env });
  expect(who.code).toBe(0);
  expect(who.stdout).toContain(`${host} (Cloudflare Access, through cloudflared)`);
  expectNoLeak(who, [token]);

  // doctor, with no CLOUDFLARE_ACCESS_* variable, sends the stored token to its host.
  const doctor = await cli(["doctor", "--remote-url", access.url], { env });
  expect(doctor.stdout).toContain("✓ Access accepts an Access user token.");
  expectNoLeak(doctor, [token]);
  expect(access.decisions).toContainEqual(
    expect.objectContaining({ credential: "user_token_header", outcome: "allowed" }),
  );

  // An environment credential comes first: the stored token is not sent.
  const overridden = await cli(["doctor", "--remote-url", access.url], {
    env: { ...env, CLOUDFLARE_ACCESS_TOKEN: "not-a-valid-token" },
  });
  expect(overridden.stdout).toMatch(/✘ Access rejected an Access user token/);
  expect(overridden.stdout).toContain(
    "fix: The user token in CLOUDFLARE_ACCESS_TOKEN may have expired or belong to another application",
  );
  expectNoLeak(overridden, ["not-a-valid-token"]);
  const service = access.createServiceToken();
  const withServiceToken = await cli(["doctor", "--remote-url", access.url], {
    env: {
      ...env,
      CLOUDFLARE_ACCESS_CLIENT_ID: service.clientId,
      CLOUDFLARE_ACCESS_CLIENT_SECRET: service.clientSecret,
    },
  });
  expect(withServiceToken.stdout).toMatch(/✓ Access accepts an Access service token/);

  // Another host gets nothing from it.
  const elsewhere = await accessApplication();
  const other = await cli(["doctor", "--remote-url", elsewhere.url], { env });
  expect(other.stdout).toContain("✘ No Access credentials are configured");

  const out = await cli(["logout", "--access", host], { env });
  expect(out).toMatchObject({ code: 0 });
  expect(out.stdout).toContain(`✓ Forgot the Access token for ${host}.`);
  expectCleanError(await cli(["whoami"], { env }), 1);
});

test("dev sends the token login --access stored to the remote's host, on every call", async () => {
  // The proxy server with a KV namespace, behind an Access application people sign in to.
  const access = await startAccessEmulator({
    origin: {
      worker: {
        name: "proxy-server",
        modules: true,
        scriptPath: proxyServerScriptPath,
        modulesRoot: path.dirname(proxyServerScriptPath),
        compatibilityDate: "2026-04-01",
        kvNamespaces: ["KV"],
      },
    },
    application: { type: "self_hosted" },
  });
  onTestFinished(() => access.dispose());
  const token = await access.issueUserToken("ada@example.com");
  const host = new URL(access.url).host;
  const fake = await fakeCloudflared({ token });
  const { env } = await loginEnvironment({ PATH: fake.env.PATH! });
  expect((await cli(["login", "--access", host], { env })).code).toBe(0);

  const project = env.HOME!;
  await writeFile(
    path.join(project, "worker.js"),
    `export default { async fetch(request, env) {
      await env.KV.put("greeting", "hello through Access");
      return new Response(await env.KV.get("greeting") + " / env holds " + Object.keys(env).join(","));
    } };`,
  );
  await writeFile(
    path.join(project, "wrangler.jsonc"),
    JSON.stringify({
      name: "login-dev",
      main: "worker.js",
      compatibility_date: "2026-04-01",
      kv_namespaces: [{ binding: "KV", id: "remote-kv", remote: true }],
    }),
  );
  const dev = runCli(["dev", "--port", "0", "--remote-url", access.url], { env, cwd: project });
  const [, url] = await dev.waitFor(/Ready on (http:\/\/[^\s]+:\d+)/);
  const response = await fetch(url!);
  expect(await response.text()).toBe("hello through Access / env holds KV");

  expect(access.decisions.length).toBeGreaterThan(0);
  for (const decision of access.decisions) {
    expect(decision).toMatchObject({ credential: "user_token_header", outcome: "allowed" });
  }
  dev.kill("SIGINT");
  expectNoLeak(await dev.exited, [token]);
});

test("a stored Access token that Access refuses: doctor says to run login --access again", async () => {
  const access = await accessApplication();
  const host = new URL(access.url).host;
  // A token of another application: well-formed, but not this application's.
  const token = await (await accessApplication()).issueUserToken("ada@example.com");
  const fake = await fakeCloudflared({ token });
  const { env } = await loginEnvironment({ PATH: fake.env.PATH! });
  expect((await cli(["login", "--access", `https://${host}`], { env })).code).toBe(0);

  const doctor = await cli(["doctor", "--remote-url", access.url], { env });
  expect(doctor.stdout).toMatch(/✘ Access rejected an Access user token/);
  expect(doctor.stdout).toContain(`run \`access-bridge login --access ${host}\` again.`);
  expect(doctor.stdout).not.toContain("CLOUDFLARE_ACCESS_TOKEN");
  expectNoLeak(doctor, [token]);
});

test("an expired stored Access token is not sent, and doctor says how to renew it", async () => {
  const access = await accessApplication();
  const token = await access.issueUserToken("ada@example.com", {
    expiresAt: new Date(Date.now() - 60_000),
  });
  const host = new URL(access.url).host;
  const fake = await fakeCloudflared({ token });
  const { env } = await loginEnvironment({ PATH: fake.env.PATH! });
  expect((await cli(["login", "--access", `https://${host}`], { env })).code).toBe(0);

  const doctor = await cli(["doctor", "--remote-url", access.url], { env });
  expect(doctor.stderr).toContain(`▲ The Cloudflare Access token stored for ${host} expired at`);
  expect(doctor.stderr).toContain(`Run \`access-bridge login --access ${host}\` for a new one.`);
  expect(doctor.stdout).toContain("✘ No Access credentials are configured");
  // Nothing in the environment nor in the store: doctor's fix names both.
  expect(doctor.stdout).toContain(
    "fix: Set CLOUDFLARE_ACCESS_CLIENT_ID and CLOUDFLARE_ACCESS_CLIENT_SECRET",
  );
  expect(doctor.stdout).toContain(`sign in with \`access-bridge login --access ${host}\``);
  expectNoLeak(doctor, [token]);
  expect((await cli(["whoami"], { env })).stdout).toMatch(
    /token expired at .*; run access-bridge login --access/,
  );
});

test("a corrupt token file: whoami warns once and goes on, logout deletes it", async () => {
  const device = await startDeviceServer({ steps: ["approve"], interval: 1 });
  const { env, configDir } = await loginEnvironment();
  expect(
    (await cli(["login", "--issuer", device.issuer, "--device", "--no-browser"], { env })).code,
  ).toBe(0);
  const tokens = path.join(configDir, "tokens");
  const access = path.join(configDir, "access");
  const corrupt = path.join(tokens, "0123456789abcdef0123456789abcdef.json");
  const corruptAccess = path.join(access, "0123456789abcdef0123456789abcdef.json");
  await writeFile(corrupt, "{truncated", { mode: 0o600 });
  await mkdir(access, { recursive: true, mode: 0o700 });
  await writeFile(corruptAccess, JSON.stringify({ host: "h.example" }), { mode: 0o600 });

  const who = await cli(["whoami"], { env });
  expect(who.code).toBe(0);
  expect(who.stdout).toContain(device.issuer);
  for (const file of [corrupt, corruptAccess]) {
    expect(who.stderr.split(`▲ Ignoring ${file}: it is not a stored login`)).toHaveLength(2);
  }

  const out = await cli(["logout"], { env });
  expect(out.code).toBe(0);
  expect(out.stdout).toContain(`✓ Deleted ${corrupt} (not a stored login).`);
  expect(out.stdout).toContain(`✓ Deleted ${corruptAccess} (not a stored login).`);
  expect(out.stdout).toContain(`✓ Logged out of ${device.issuer}`);
  expect(out.stderr).toBe("");
  expect([...(await readdir(tokens)), ...(await readdir(access))]).toEqual([]);
});

test("logout --issuer deletes that issuer's unusable file without revoking anything", async () => {
  const device = await startDeviceServer({ steps: ["approve"], interval: 1 });
  const { env, configDir } = await loginEnvironment();
  expect(
    (await cli(["login", "--issuer", device.issuer, "--device", "--no-browser"], { env })).code,
  ).toBe(0);
  const [name] = await readdir(path.join(configDir, "tokens"));
  const file = path.join(configDir, "tokens", name!);
  await chmod(file, 0o644);

  const who = await cli(["whoami"], { env });
  expect(who.code).toBe(1);
  expect(who.stderr).toContain(`▲ Ignoring ${file}: other users can read it`);
  expect(who.stderr).toContain("✘ Not logged in to anything.");
  const out = await cli(["logout", "--issuer", device.issuer], { env });
  expect(out.code).toBe(0);
  expect(out.stdout).toContain(`✓ Deleted the unusable token file of ${device.issuer}`);
  expect(await readdir(path.join(configDir, "tokens"))).toEqual([]);
});

test("login --remote signs in to a proxy server in OAuth mode; whoami lists it; logout --remote revokes it", async () => {
  const { proxy } = await setUpOAuthProxy();
  const { env, configDir } = await loginEnvironment();
  const run = runCli(["login", "--remote", proxy.origin, "--no-browser"], { env });
  const [, authorizationUrl] = await run.waitFor(
    /^ {2}(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+)$/m,
  );
  const browser = new ScriptedBrowser();
  const { callback } = await signIn(browser, authorizationUrl!);
  expect((await browser.get(location(callback))).status).toBe(200);

  const result = await run.exited;
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(`✓ Signed in to ${proxy.origin} (localhost transport).`);
  const secrets = await storedSecrets(configDir);
  expect(secrets).toHaveLength(2);
  expectNoLeak(result, secrets);
  expect((await bindingFetch(proxy.origin, secrets[0])).status).toBe(200);

  const who = await cli(["whoami"], { env });
  expect(who.stdout).toContain(`${proxy.origin} (proxy server in OAuth mode)`);
  expectNoLeak(who, secrets);
  const json = JSON.parse((await cli(["whoami", "--json"], { env })).stdout) as Record<
    string,
    unknown[]
  >;
  expect(json.remotes).toEqual([expect.objectContaining({ remote: proxy.origin })]);
  expect(json.issuers).toEqual([]);

  const out = await cli(["logout", "--remote", `${proxy.origin}/`], { env });
  expect(out.stdout).toContain(`✓ Logged out of ${proxy.origin}: the server revoked the tokens`);
  expect((await bindingFetch(proxy.origin, secrets[0])).status).toBe(401);
  expect(await readdir(path.join(configDir, "tokens"))).toEqual([]);
});

test("login --remote at a server that is not in OAuth mode says so", async () => {
  const relay = await startRelay();
  const { env } = await loginEnvironment();
  const result = await cli(["login", "--remote", relay.origin, "--no-browser"], { env });
  expectCleanError(result, 1);
  expect(result.stderr).toContain("published no OAuth protected resource metadata");
});

test("login --access without cloudflared on PATH says how to get it", async () => {
  const { env } = await loginEnvironment({ PATH: path.dirname(process.execPath) });
  const result = await cli(["login", "--access", "proxy.example.workers.dev"], { env });
  expectCleanError(result, 1);
  expect(result.stderr).toContain('Could not run "cloudflared"');
  expect(result.stderr).toContain("Install cloudflared");
});

test.each([
  [["login"], "Say what to log in to: --remote <url>"],
  [
    ["login", "--remote", "https://p.example", "--issuer", "https://a.example"],
    "--remote and --issuer both name what to log in to",
  ],
  [
    ["login", "--remote", "http://proxy.example"],
    'The remote "http://proxy.example" is not a usable proxy server URL',
  ],
  [
    ["login", "--remote", "proxy.example"],
    'The remote "proxy.example" is not a usable proxy server URL',
  ],
  [["logout", "--remote", "https://p.example", "--access", "b.example"], "not both"],
  [["login", "--issuer"], "Option '--issuer <value>' argument missing"],
  [["login", "--issuer", "ftp://auth.example.com"], "uses ftp, but an issuer is an https URL"],
  [["login", "--issuer", "auth.example.com"], "is not a URL"],
  [["login", "--issuer", "http://auth.example.com"], "is plain http on a host other than"],
  [["login", "--issuer", "https://auth.example.com/?tenant=1"], "has a query"],
  [
    ["login", "--issuer", "https://auth.example.com", "--device", "--relay", "https://r.example"],
    "--device and --relay",
  ],
  [
    ["login", "--issuer", "https://auth.example.com", "--relay", "http://relay.example"],
    'The relay URL "http://relay.example" is not usable',
  ],
  [
    ["login", "--access", "proxy.example.workers.dev", "--issuer", "https://a.example"],
    "--access cannot be combined with --issuer",
  ],
  [
    ["login", "--access", "http://proxy.example.workers.dev"],
    "Cloudflare Access only protects https hosts",
  ],
  [["login", "--issuer", "https://auth.example.com", "--bogus"], "Unknown option '--bogus'"],
  [["logout", "--issuer", "https://a.example", "--access", "b.example"], "not both"],
  [["whoami", "extra"], "Unexpected argument 'extra'"],
])("usage error, exit 2: access-bridge %j", async (args, message) => {
  const { env } = await loginEnvironment();
  const result = await cli(args, { env });
  expectCleanError(result, 2);
  expect(result.stderr).toContain(message);
  expect(result.stderr).toContain(`Usage: access-bridge ${args[0]}`);
});

test.each(["login", "logout", "whoami"])("access-bridge %s --help", async (command) => {
  const { env } = await loginEnvironment();
  const result = await cli([command, "--help"], { env });
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(new RegExp(`^Usage: access-bridge ${command}`));
  const top = await cli(["--help"], { env });
  expect(top.stdout).toMatch(new RegExp(`^ {2}${command} {2,}\\S`, "m"));
});
