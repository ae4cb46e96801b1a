// persistTo keeps what the origin's bindings hold across starts; getOriginBindings() reaches them
// from Node (how access-bridge's embedded remote applies D1 migrations and a test seeds data).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { startAccessEmulator } from "../src/index.js";

const ORIGIN = {
  worker: {
    name: "origin",
    modules: true,
    script: `export default {
      async fetch(request, env) {
        return new Response((await env.KV.get("note")) ?? "empty");
      },
    };`,
    kvNamespaces: ["KV"],
    d1Databases: ["DB"],
  },
};

interface Bindings {
  KV: { put(key: string, value: string): Promise<void> };
  DB: {
    exec(sql: string): Promise<unknown>;
    prepare(sql: string): { all<T>(): Promise<{ results: T[] }> };
  };
}

async function start(persistTo?: string) {
  const access = await startAccessEmulator({
    origin: ORIGIN,
    application: { type: "service_auth_only" },
    persistTo,
  });
  onTestFinished(() => access.dispose());
  const token = access.createServiceToken();
  const read = async () =>
    (
      await fetch(access.url, {
        headers: {
          "CF-Access-Client-Id": token.clientId,
          "CF-Access-Client-Secret": token.clientSecret,
        },
      })
    ).text();
  return { access, read };
}

describe("persistTo", () => {
  it("keeps the origin's KV and D1 across starts; without it, each start is empty", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "access-bridge-persist-"));
    onTestFinished(() => rmSync(folder, { recursive: true, force: true }));

    const first = await start(folder);
    const bindings = await first.access.getOriginBindings<Bindings>();
    await bindings.KV.put("note", "kept");
    await bindings.DB.exec("CREATE TABLE rows (value TEXT)");
    await bindings.DB.exec("INSERT INTO rows VALUES ('one')");
    expect(await first.read()).toBe("kept");
    await first.access.dispose();

    const second = await start(folder);
    expect(await second.read()).toBe("kept");
    const again = await second.access.getOriginBindings<Bindings>();
    expect((await again.DB.prepare("SELECT value FROM rows").all()).results).toEqual([
      { value: "one" },
    ]);
    await second.access.dispose();

    const inMemory = await start();
    expect(await inMemory.read()).toBe("empty");
  });

  it("getOriginBindings() names what it needs when the origin is a URL", async () => {
    const access = await startAccessEmulator({
      origin: { url: "http://127.0.0.1:9" },
      application: { type: "service_auth_only" },
    });
    onTestFinished(() => access.dispose());
    await expect(access.getOriginBindings()).rejects.toMatchObject({ code: "ERR_INVALID_OPTION" });
  });
});
