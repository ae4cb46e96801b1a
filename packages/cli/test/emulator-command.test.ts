import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it, onTestFinished } from "vitest";
import { sandbox } from "@access-bridge/test-support/cli-process";

async function origin(): Promise<string> {
  const server = createServer((request, response) => {
    response.end(
      `origin saw ${request.headers["cf-access-jwt-assertion"] ? "an assertion" : "no assertion"}`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("access-bridge emulator", () => {
  it("prints a service token and a curl line that passes through to the origin", async () => {
    const cli = sandbox().startCli([
      "emulator",
      "--origin",
      await origin(),
      "--type",
      "service_auth_only",
    ]);
    await cli.waitFor(/Try: curl .*\n/);
    const [, url] = cli.stdout().match(/Ready on (http:\/\/127\.0\.0\.1:\d+)/)!;
    const [, id] = cli.stdout().match(/CLOUDFLARE_ACCESS_CLIENT_ID=(\S+)/)!;
    const [, secret] = cli.stdout().match(/CLOUDFLARE_ACCESS_CLIENT_SECRET=(\S+)/)!;
    expect(cli.stdout()).toContain(
      `curl -i -H "CF-Access-Client-Id: ${id}" -H "CF-Access-Client-Secret: ${secret}" ${url}/`,
    );

    const allowed = await fetch(`${url}/`, {
      headers: { "CF-Access-Client-Id": id!, "CF-Access-Client-Secret": secret! },
    });
    expect(await allowed.text()).toBe("origin saw an assertion");
    expect((await fetch(`${url}/`)).status).toBe(403);

    // The sandbox checks that no workerd outlives the command.
    expect((await cli.stop("SIGINT")).code).toBe(130);
    expect(cli.stdout()).toContain("Shutting down.");
  });

  it("needs --origin", async () => {
    const { code, stderr } = await sandbox().runCli(["emulator"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--origin is required.");
  });

  it("refuses an unknown application type", async () => {
    const { code, stderr } = await sandbox().runCli([
      "emulator",
      "--origin",
      "http://127.0.0.1:1",
      "--type",
      "saas",
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('--type must be self_hosted or service_auth_only, got "saas"');
  });
});
