// What a repeat start reuses (issue 23): wrangler's parse of the user's config, and whether the
// user's entry has a default export. Each is keyed by exactly what it depends on, so an edit
// between two starts is always seen. The first start reads with the project's real wrangler
// (and esbuild); a repeat start must not load wrangler again, which a ProjectWrangler whose
// `load` throws proves.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { rememberedDefaultExport } from "../src/entry-exports.js";
import { generatedDir } from "../src/generated-files.js";
import { findProjectWrangler, type ProjectWrangler } from "../src/project-wrangler.js";
import { readUserConfig, type UserConfigQuery } from "../src/user-config.js";

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function project(config: Record<string, unknown>): string {
  dir = mkdtempSync(path.join(tmpdir(), "access-bridge-caches-"));
  writeConfig(config);
  writeFileSync(path.join(dir, "index.js"), "export default { fetch() {} };\n");
  return dir;
}

function writeConfig(config: Record<string, unknown>): void {
  writeFileSync(
    path.join(dir, "wrangler.json"),
    JSON.stringify({ name: "app", main: "index.js", compatibility_date: "2025-09-01", ...config }),
  );
}

/** The project's wrangler, except that loading its module fails: a start that needs it throws. */
function unloadable(wrangler: ProjectWrangler): ProjectWrangler {
  return {
    ...wrangler,
    load: () => {
      throw new Error("wrangler's module was loaded");
    },
  };
}

const query = (cwd: string, env?: string): UserConfigQuery => ({ cwd, config: undefined, env });

describe("wrangler's parse of the user's config, across starts", () => {
  it("is reused while the config is unchanged, and never once it is edited", () => {
    const cwd = project({ kv_namespaces: [{ binding: "KV", id: "kv", remote: true }] });
    const wrangler = findProjectWrangler(cwd);
    const first = readUserConfig(wrangler, query(cwd));
    expect(first.raw.kv_namespaces).toEqual([{ binding: "KV", id: "kv", remote: true }]);

    // Unchanged: the same parse, without wrangler.
    expect(readUserConfig(unloadable(wrangler), query(cwd))).toEqual(first);

    // Edited between two starts: wrangler parses again, and the edit is what comes back.
    writeConfig({ r2_buckets: [{ binding: "BUCKET", bucket_name: "bucket", remote: true }] });
    expect(() => readUserConfig(unloadable(wrangler), query(cwd))).toThrow(
      "wrangler's module was loaded",
    );
    const edited = readUserConfig(wrangler, query(cwd));
    expect(edited.raw.kv_namespaces).toBeUndefined();
    expect(edited.raw.r2_buckets).toEqual([
      { binding: "BUCKET", bucket_name: "bucket", remote: true },
    ]);
    expect(readUserConfig(unloadable(wrangler), query(cwd))).toEqual(edited);
  });

  it("is not reused for another environment, another wrangler version, or a config wrangler rejects", () => {
    const cwd = project({ env: { staging: {} } });
    const wrangler = findProjectWrangler(cwd);
    readUserConfig(wrangler, query(cwd));
    expect(() => readUserConfig(unloadable(wrangler), query(cwd, "staging"))).toThrow(
      "wrangler's module was loaded",
    );
    expect(() =>
      readUserConfig(unloadable({ ...wrangler, version: "4.0.0-other" }), query(cwd)),
    ).toThrow("wrangler's module was loaded");

    // An edit that wrangler refuses is refused at every start: no earlier parse stands in for it.
    writeConfig({ env: { staging: {} }, compatibility_date: 20250901 });
    for (let start = 0; start < 2; start++) {
      expect(() => readUserConfig(wrangler, query(cwd))).toThrow(/compatibility_date/);
    }
  });
});

describe("whether the user's entry has a default export, across starts", () => {
  it("is esbuild's answer for the entry's current bytes", () => {
    const cwd = project({});
    const entry = path.join(cwd, "index.js");
    const cacheFile = path.join(generatedDir(cwd), "entry-exports.json");
    expect(rememberedDefaultExport(cwd)(entry)).toBe(true);

    // The answer kept is the one a repeat start with the same bytes uses, esbuild unasked: a
    // deliberately wrong entry shows that it is read.
    const kept = JSON.parse(readFileSync(cacheFile, "utf8")) as {
      entries: Record<string, { key: string; hasDefaultExport: boolean }>;
    };
    expect(kept.entries[entry]?.hasDefaultExport).toBe(true);
    kept.entries[entry]!.hasDefaultExport = false;
    writeFileSync(cacheFile, JSON.stringify(kept));
    expect(rememberedDefaultExport(cwd)(entry)).toBe(false);

    // Edited between two starts: esbuild reads it again.
    writeFileSync(entry, "addEventListener('fetch', () => {});\nexport const x = 1;\n");
    expect(rememberedDefaultExport(cwd)(entry)).toBe(false);
    writeFileSync(entry, "const handler = { fetch() {} };\nexport { handler as default };\n");
    expect(rememberedDefaultExport(cwd)(entry)).toBe(true);
  });

  it("says what esbuild says about an entry it cannot read, every time", () => {
    const cwd = project({});
    const entry = path.join(cwd, "index.js");
    writeFileSync(entry, "export default {\n");
    for (let start = 0; start < 2; start++) {
      expect(() => rememberedDefaultExport(cwd)(entry)).toThrow(
        /index\.js:2:0: ERROR: Expected identifier but found end of file/,
      );
    }
    const missing = path.join(cwd, "missing.js");
    expect(() => rememberedDefaultExport(cwd)(missing)).toThrow(/Could not resolve/);
  });
});
