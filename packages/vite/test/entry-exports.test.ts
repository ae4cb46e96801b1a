// The rewrite of the app Worker's entry, module shape by module shape: the rewritten module is
// loaded by Node's own ESM loader, with a facades module that records what it was given, and
// must export the same names with each value passed through it (function declarations aside).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { wrapEntryExports } from "../src/entry-exports.js";
import { FACADES_MODULE } from "../src/virtual-modules.js";

const root = mkdtempSync(path.join(tmpdir(), "access-bridge-entry-exports-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Stands in for the facades module: marks what it wraps, so the test sees which exports went
// through it (the real wrapping is tested against the Cloudflare plugin's runner).
const RECORDING_FACADES = `export const withRemoteFacades = (value) => ({ wrapped: value });\n`;

let count = 0;

async function load(
  entry: string,
  others: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const dir = path.join(root, String(count++));
  mkdirSync(dir);
  const facades = path.join(dir, "facades.mjs");
  writeFileSync(facades, RECORDING_FACADES);
  for (const [name, source] of Object.entries(others)) writeFileSync(path.join(dir, name), source);
  const file = path.join(dir, "entry.mjs");
  const { code } = wrapEntryExports(entry, file);
  expect(code.startsWith(`import { withRemoteFacades as`)).toBe(true);
  writeFileSync(
    file,
    code.replace(JSON.stringify(FACADES_MODULE), JSON.stringify(pathToFileURL(facades).href)),
  );
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

describe("wrapEntryExports", () => {
  test("a default handler object", async () => {
    const module = await load(`export default { fetch() { return "ok"; } };`);
    expect(Object.keys(module)).toEqual(["default"]);
    expect(module.default).toEqual({ wrapped: { fetch: expect.any(Function) } });
  });

  test("an anonymous default expression, and an unterminated one before a parenthesis", async () => {
    const module = await load(`export default class {}\n(() => {})();`);
    expect(module.default).toEqual({ wrapped: expect.any(Function) });
  });

  test("declared classes and variables, destructured ones included", async () => {
    const module = await load(`
      export default class Entry {}
      export class Counter {}
      export const a = 1, { b, c: [d] } = { b: 2, c: [3] };
      export let e = 4;
    `);
    expect(Object.keys(module).sort()).toEqual(["Counter", "a", "b", "d", "default", "e"]);
    expect(module.a).toEqual({ wrapped: 1 });
    expect(module.d).toEqual({ wrapped: 3 });
    expect((module.default as { wrapped: { name: string } }).wrapped.name).toBe("Entry");
  });

  test("function declarations keep their own, hoisted export", async () => {
    const module = await load(
      `
      import { early } from "./cycle.mjs";
      export function helper() { return "helper"; }
      function local() { return "local"; }
      export { local, local as renamed };
      export const seen = early;
      export default function handler() {}
    `,
      // Runs before the entry's body: only a hoisted function declaration is callable here.
      { "cycle.mjs": `import { helper } from "./entry.mjs";\nexport const early = helper();\n` },
    );
    expect(module.helper).toBeTypeOf("function");
    expect(module.local).toBeTypeOf("function");
    expect(module.renamed).toBeTypeOf("function");
    expect(module.default).toBeTypeOf("function");
    expect(module.seen).toEqual({ wrapped: "helper" });
  });

  test("export lists, string names and re-exports", async () => {
    const module = await load(
      `
      const x = { fetch() {} };
      export { x as y, x as "a name" };
      export { value as fromDep, default as depDefault } from "./dep.mjs";
      export * as namespace from "./dep.mjs";
      export * from "./star.mjs";
    `,
      {
        "dep.mjs": `export const value = "dep";\nexport default "dep default";\n`,
        "star.mjs": `export const starred = "star";\n`,
      },
    );
    expect(Object.keys(module).sort()).toEqual(
      ["a name", "depDefault", "fromDep", "namespace", "starred", "y"].sort(),
    );
    expect(module.y).toEqual({ wrapped: { fetch: expect.any(Function) } });
    expect(module["a name"]).toEqual(module.y);
    expect(module.fromDep).toEqual({ wrapped: "dep" });
    expect(module.depDefault).toEqual({ wrapped: "dep default" });
    expect((module.namespace as { wrapped: { value: string } }).wrapped.value).toBe("dep");
    // `export *` names cannot be listed from the module itself: they pass as they are.
    expect(module.starred).toBe("star");
  });

  test("a module without exports only imports the facades module", async () => {
    const module = await load(`globalThis.sideEffect = true;`);
    expect(Object.keys(module)).toEqual([]);
  });
});
