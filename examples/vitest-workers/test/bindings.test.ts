// Each remote binding, called from the test itself: the same `env` your Worker gets.
import { env as testEnv } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createSchema } from "./schema";

const unique = () => crypto.randomUUID();

beforeAll(createSchema);

describe("remote bindings through access-bridge", () => {
  it("kv (LINKS): put with metadata, get as text and JSON, bulk get, list", async () => {
    const key = unique();
    await env.LINKS.put(key, JSON.stringify({ url: "https://example.com" }), {
      metadata: { owner: "ci" },
    });
    expect(await env.LINKS.get(key)).toBe('{"url":"https://example.com"}');
    expect(await env.LINKS.get(key, "json")).toEqual({ url: "https://example.com" });
    const { metadata } = await env.LINKS.getWithMetadata(key);
    expect(metadata).toEqual({ owner: "ci" });
    const bulk = await env.LINKS.get([key, unique()]);
    expect(bulk).toBeInstanceOf(Map);
    expect(bulk.get(key)).toBe('{"url":"https://example.com"}');
    const { keys } = await env.LINKS.list({ prefix: key });
    expect(keys.map((entry) => entry.name)).toEqual([key]);
  });

  it("r2 (ARCHIVE): put, head, get the body, list", async () => {
    const key = `test/${unique()}.txt`;
    await env.ARCHIVE.put(key, "archived", { customMetadata: { by: "ci" } });
    const head = await env.ARCHIVE.head(key);
    expect(head?.size).toBe(8);
    expect(head?.customMetadata).toEqual({ by: "ci" });
    const object = await env.ARCHIVE.get(key);
    expect(await object?.text()).toBe("archived");
    const listed = await env.ARCHIVE.list({ prefix: key });
    expect(listed.objects.map((entry) => entry.key)).toEqual([key]);
  });

  it("d1 (DB): prepare and bind, first, all, batch", async () => {
    const slug = unique();
    await env.DB.prepare("INSERT INTO links (slug, url, title) VALUES (?, ?, ?)")
      .bind(slug, "https://example.com/a", "a")
      .run();
    const row = await env.DB.prepare("SELECT url FROM links WHERE slug = ?").bind(slug).first();
    expect(row).toEqual({ url: "https://example.com/a" });
    const [, titles] = await env.DB.batch([
      env.DB.prepare("UPDATE links SET title = ? WHERE slug = ?").bind("b", slug),
      env.DB.prepare("SELECT title FROM links WHERE slug = ?").bind(slug),
    ]);
    expect(titles!.results).toEqual([{ title: "b" }]);
  });

  it("queue (CLICKS): send and sendBatch", async () => {
    await env.CLICKS.send({ slug: "a", at: 1 });
    await env.CLICKS.sendBatch([{ body: { slug: "b", at: 2 } }, { body: { slug: "c", at: 3 } }]);
  });

  it("service (PREVIEW): fetch() and RPC", async () => {
    const response = await env.PREVIEW.fetch("https://links-preview/health");
    expect(await response.text()).toBe("links-preview: /health");
    expect(await env.PREVIEW.preview("https://developers.cloudflare.com/x")).toEqual({
      url: "https://developers.cloudflare.com/x",
      title: "developers.cloudflare.com",
    });
  });

  it("env holds the bindings and vars the config declares, and no credential", () => {
    // The integration's own bindings start with __VITEST_POOL_WORKERS_.
    const declared = Object.keys(env).filter((name) => !name.startsWith("__VITEST_POOL_WORKERS_"));
    expect(declared.sort()).toEqual([
      "ARCHIVE",
      "CLICKS",
      "DB",
      "LINKS",
      "PREVIEW",
      "PUBLIC_ORIGIN",
    ]);
  });

  it("env from cloudflare:test is the same env, with the same facades", () => {
    expect(testEnv.DB).toBe(env.DB);
    expect(testEnv.LINKS).toBe(env.LINKS);
    // PREVIEW is a plain service binding (a Fetcher), as DB, LINKS and ARCHIVE would be without
    // their facades; D1's prepare() is synchronous only through its facade.
    for (const facade of [env.DB, env.LINKS, env.ARCHIVE]) {
      expect(facade.constructor).not.toBe(env.PREVIEW.constructor);
    }
    expect(env.DB.prepare("SELECT 1")).not.toBeInstanceOf(Promise);
  });
});
