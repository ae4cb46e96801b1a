// `access-bridge remote` as a test runner starts it: a process of its own whose output is read
// for the URL and the service token, then stopped by a signal. The sandbox fails a test when a
// process or a temp file outlives the command.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sandbox, type RunningProcess } from "@access-bridge/test-support/cli-process";
import { REMOTE_PROJECT_BINDINGS, writeRemoteProject } from "./support/remote-project.js";

interface RemoteLine {
  url: string;
  pid: number;
  serviceToken: { clientId: string; clientSecret: string };
  env: Record<string, string>;
  access: {
    type: string;
    aud: string;
    teamDomain: string;
    certsUrl: string;
    loginUrl: string;
    identityUrl: string;
  };
  bindings: typeof REMOTE_PROJECT_BINDINGS;
}

const JSON_LINE = /^\{.*\}$/m;

async function startRemote(args: string[] = []) {
  const box = sandbox();
  const config = writeRemoteProject(path.join(box.dir, "project"));
  const cli = box.startCli(["remote", "--config", config, ...args]);
  await cli.waitFor(JSON_LINE);
  const line = JSON.parse(cli.stdout().match(JSON_LINE)![0]) as RemoteLine;
  return { box, cli, line };
}

function proxyCall(line: RemoteLine, binding: string, url: string, credentials = true) {
  return fetch(line.url, {
    headers: {
      "MF-Binding": binding,
      "MF-URL": url,
      ...(credentials
        ? {
            "CF-Access-Client-Id": line.serviceToken.clientId,
            "CF-Access-Client-Secret": line.serviceToken.clientSecret,
          }
        : {}),
    },
  });
}

function linesWith(cli: RunningProcess, text: string): string[] {
  return `${cli.stdout()}\n${cli.stderr()}`.split("\n").filter((line) => line.includes(text));
}

describe("access-bridge remote", () => {
  it("prints its URL, the service token as variables and one JSON line, and serves the bindings behind Access", async () => {
    const { cli, line } = await startRemote();
    const secret = line.serviceToken.clientSecret;

    const lines = cli.stdout().trimEnd().split("\n");
    expect(lines.slice(-4)).toEqual([
      `ACCESS_BRIDGE_REMOTE_URL=${line.url}`,
      `CLOUDFLARE_ACCESS_CLIENT_ID=${line.serviceToken.clientId}`,
      `CLOUDFLARE_ACCESS_CLIENT_SECRET=${secret}`,
      expect.stringMatching(JSON_LINE),
    ]);
    expect(line.env).toEqual({
      ACCESS_BRIDGE_REMOTE_URL: line.url,
      CLOUDFLARE_ACCESS_CLIENT_ID: line.serviceToken.clientId,
      CLOUDFLARE_ACCESS_CLIENT_SECRET: secret,
    });
    expect(line.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(line.pid).toBe(cli.child.pid);
    expect(line.access).toMatchObject({
      type: "service_auth_only",
      aud: expect.stringMatching(/^[0-9a-f]{64}$/),
      certsUrl: `${line.url}/cdn-cgi/access/certs`,
      identityUrl: `${line.url}/__access-bridge/identity`,
    });
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(line.bindings.sort(byName)).toEqual([...REMOTE_PROJECT_BINDINGS].sort(byName));
    expect(cli.stdout()).toContain("Calls to AI fail with a message that says why");

    // The proxy server behind Access, with the stand-ins, on the workers-sdk wire protocol.
    const api = await proxyCall(line, "API", "http://api.internal/hello");
    expect(await api.text()).toBe("api: /hello");
    const ai = await proxyCall(line, "AI", "http://ai.internal/run");
    expect(ai.status).toBe(501);
    expect(await ai.text()).toContain("only Cloudflare has it");
    expect((await proxyCall(line, "API", "http://api.internal/", false)).status).toBe(403);

    // A CI runner stops it with SIGTERM: a clean stop, exit code 0.
    const exit = await cli.stop("SIGTERM");
    expect(exit).toEqual({ code: 0, signal: null });
    expect(cli.stdout().trimEnd().split("\n").at(-1)).toBe("Shutting down.");
    // The secret is on the two lines meant for it, and nowhere else.
    expect(linesWith(cli, secret)).toEqual([
      `CLOUDFLARE_ACCESS_CLIENT_SECRET=${secret}`,
      cli.stdout().match(JSON_LINE)![0],
    ]);
  });

  it("stops on Ctrl-C with 130", async () => {
    const { cli } = await startRemote(["--port", "0"]);
    expect(await cli.stop("SIGINT")).toEqual({ code: 130, signal: null });
    expect(cli.stdout()).toContain("Shutting down.");
  });

  it("gives two users and a service token each their own ctx.access identity (--type self_hosted)", async () => {
    const { line } = await startRemote(["--type", "self_hosted"]);
    expect(line.access.type).toBe("self_hosted");

    // Each person signs in on the emulator's sign-in page, as in a browser.
    async function signIn(email: string): Promise<string> {
      const response = await fetch(line.access.loginUrl, {
        method: "POST",
        redirect: "manual",
        body: new URLSearchParams({ email, redirect_url: "/" }),
      });
      expect(response.status).toBe(302);
      return /CF_Authorization=([^;]+)/.exec(response.headers.get("set-cookie") ?? "")![1]!;
    }
    const ada = await signIn("ada@example.com");
    const bob = await signIn("bob@example.com");
    const identity = async (headers: Record<string, string>) => {
      const response = await fetch(line.access.identityUrl, { headers, redirect: "manual" });
      expect(response.status).toBe(200);
      return (await response.json()) as { aud: string; identity: Record<string, unknown> };
    };
    const robot = {
      "CF-Access-Client-Id": line.serviceToken.clientId,
      "CF-Access-Client-Secret": line.serviceToken.clientSecret,
    };

    // Interleaved, so nothing about one request carries over to the next.
    const seen = [
      await identity({ cookie: `CF_Authorization=${ada}` }),
      await identity({ "cf-access-token": bob }),
      await identity(robot),
      await identity({ "cf-access-token": ada }),
      await identity({ cookie: `CF_Authorization=${bob}` }),
    ];
    for (const { aud } of seen) expect(aud).toBe(line.access.aud);
    const [adaFirst, bobFirst, asRobot, adaAgain, bobAgain] = seen.map((entry) => entry.identity);
    expect(adaFirst).toMatchObject({ email: "ada@example.com", user_uuid: expect.any(String) });
    expect(bobFirst).toMatchObject({ email: "bob@example.com", user_uuid: expect.any(String) });
    expect(adaFirst!.user_uuid).not.toBe(bobFirst!.user_uuid);
    expect(asRobot).toMatchObject({ common_name: line.serviceToken.clientId });
    expect(asRobot).not.toHaveProperty("email");
    expect(adaAgain).toEqual(adaFirst);
    expect(bobAgain).toEqual(bobFirst);

    // Nobody signed in: Access sends the browser to its login page; the origin never runs.
    const anonymous = await fetch(line.access.identityUrl, { redirect: "manual" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toContain("/cdn-cgi/access/login/");
  });

  it("runs with a config that marks nothing remote: Access and ctx.access alone", async () => {
    const box = sandbox();
    const config = path.join(box.dir, "wrangler.jsonc");
    writeFileSync(
      config,
      JSON.stringify({ name: "plain", main: "index.js", compatibility_date: "2026-05-01" }),
    );
    const cli = box.startCli(["remote", "--config", config]);
    await cli.waitFor(JSON_LINE);
    const line = JSON.parse(cli.stdout().match(JSON_LINE)![0]) as RemoteLine;
    expect(cli.stdout()).toContain('with no bindings: wrangler.jsonc marks none "remote": true.');
    expect(line.bindings).toEqual([]);
    const response = await fetch(line.access.identityUrl, {
      headers: {
        "CF-Access-Client-Id": line.serviceToken.clientId,
        "CF-Access-Client-Secret": line.serviceToken.clientSecret,
      },
    });
    expect(await response.json()).toMatchObject({
      aud: line.access.aud,
      identity: { common_name: line.serviceToken.clientId },
    });
    expect((await cli.stop("SIGTERM")).code).toBe(0);
  });

  it("refuses an unknown --type and a bad --port, with the help", async () => {
    const box = sandbox();
    const badType = await box.runCli(["remote", "--type", "saas"]);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toContain('--type must be service_auth_only or self_hosted, got "saas"');
    expect(badType.stderr).toContain("Usage: access-bridge remote");
    const badPort = await box.runCli(["remote", "--port", "http"]);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port must be a number from 0 to 65535, got "http"');
  });

  it("says which config is missing, and prints no token", async () => {
    const box = sandbox();
    const { code, stdout, stderr } = await box.runCli([
      "remote",
      "--config",
      path.join(box.dir, "nowhere", "wrangler.jsonc"),
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain("No config file at");
    expect(`${stdout}${stderr}`).not.toContain("CLOUDFLARE_ACCESS_CLIENT_SECRET");
  });

  it("says so when the port is taken, and prints no token", async () => {
    const { box, line } = await startRemote();
    const port = new URL(line.url).port;
    const second = await box.runCli([
      "remote",
      "--config",
      path.join(box.dir, "project", "wrangler.jsonc"),
      "--port",
      port,
    ]);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      `✘ access-bridge remote did not start: Port ${port} on 127.0.0.1 is in use. Stop whatever listens there, or pass another port (0 picks a free one).\n`,
    );
    expect(`${second.stdout}${second.stderr}`).not.toContain("CLOUDFLARE_ACCESS_CLIENT_SECRET");
  });

  it("documents that it prints the secret, and why", async () => {
    const { code, stdout } = await sandbox().runCli(["remote", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("CLOUDFLARE_ACCESS_CLIENT_SECRET=<secret>");
    expect(stdout).toContain("Printing the service token's secret is what this");
  });
});
