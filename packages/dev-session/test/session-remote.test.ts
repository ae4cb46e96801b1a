// The embedded remote opened before it is started (issue 23): `access-bridge dev` writes its
// address and token into the config and starts wrangler while the remote starts, so a call can
// arrive first. It must wait for the remote, not fail.
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { openFrontDoor } from "../src/embedded-remote/front-door.js";
import { openSessionRemote } from "../src/session-remote.js";

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function startTarget(): Promise<URL> {
  const server = http.createServer((request, response) => {
    response.end(`answered ${request.method} ${request.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return new URL(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
}

describe("the embedded remote's front door", () => {
  it("holds a call that arrives before the remote listens, and passes it on once it does", async () => {
    const door = await openFrontDoor();
    onTestFinished(() => door.close());
    let answered = false;
    const early = fetch(new URL("/early?x=1", door.url)).then(async (response) => {
      answered = true;
      return response.text();
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered).toBe(false);
    door.open(await startTarget());
    expect(await early).toBe("answered GET /early?x=1");
    // And every call after it.
    const later = await fetch(new URL("/later", door.url), { method: "POST", body: "x" });
    expect(await later.text()).toBe("answered POST /later");
  });

  it("closes waiting and later connections when the remote does not start", async () => {
    const door = await openFrontDoor();
    onTestFinished(() => door.close());
    const early = fetch(door.url).then(
      () => "answered",
      () => "failed",
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    door.fail();
    expect(await early).toBe("failed");
    expect(
      await fetch(door.url).then(
        () => "answered",
        () => "failed",
      ),
    ).toBe("failed");
  });
});

describe("openSessionRemote (embedded)", () => {
  it(
    "knows its address and token at once; a call made before it is ready gets the remote's answer",
    { timeout: 60_000 },
    async () => {
      dir = mkdtempSync(path.join(tmpdir(), "access-bridge-session-remote-"));
      const remote = await openSessionRemote(
        { remoteUrl: undefined, carried: [], dir },
        { env: {}, state: "fresh" },
      );
      onTestFinished(() => remote.dispose());
      expect(remote.embedded).toBe(true);
      expect(remote.credentials).toMatchObject({ clientId: expect.stringMatching(/\.access$/) });
      const { clientId, clientSecret } = remote.credentials as {
        clientId: string;
        clientSecret: string;
      };
      let ready = false;
      void remote.start().then(() => (ready = true));
      // Sent at once, long before Miniflare has even been imported.
      const early = fetch(new URL("/", remote.url), {
        headers: { "CF-Access-Client-Id": clientId, "CF-Access-Client-Secret": clientSecret },
      });
      const refused = fetch(new URL("/", remote.url));
      expect(ready).toBe(false);
      const started = await remote.start();
      expect(started.url.href).toBe(remote.url.href);
      // The minted token is the one the remote accepts; without it, Access refuses.
      expect((await refused).status).toBe(403);
      const response = await early;
      expect(response.status).not.toBe(403);
      expect(await response.text()).not.toContain("Cloudflare Access");
    },
  );
});
