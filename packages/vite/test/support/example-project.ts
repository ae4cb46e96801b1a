// A copy of a project (examples/vite-react, or a fixture of this package) for one test file,
// inside this package so that it resolves the repository's node_modules; removed afterwards.
// Tests edit the copy, never the original.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
export const EXAMPLE_DIR = path.join(REPO_ROOT, "examples/vite-react");
export const FIXTURES_DIR = path.join(REPO_ROOT, "packages/vite/test/fixtures");
const PROJECTS_DIR = path.join(REPO_ROOT, "packages/vite/.test-projects");

/** What a copy leaves out: installed, generated or built files. */
const NOT_COPIED = new Set(["node_modules", ".wrangler", "dist"]);

export interface ExampleProject {
  dir: string;
  /** Replaces `from` (which must be there) with `to` in one file of the copy. */
  edit(file: string, from: string, to: string): void;
  remove(): void;
}

export function copyExample(name: string): ExampleProject {
  return copyProject(EXAMPLE_DIR, name);
}

export function copyProject(source: string, name: string): ExampleProject {
  mkdirSync(PROJECTS_DIR, { recursive: true });
  const dir = mkdtempSync(path.join(PROJECTS_DIR, `${name}-`));
  cpSync(source, dir, {
    recursive: true,
    filter: (source) => !NOT_COPIED.has(path.basename(source)),
  });
  return {
    dir,
    edit(file, from, to) {
      const target = path.join(dir, file);
      const before = readFileSync(target, "utf8");
      if (!before.includes(from))
        throw new Error(`${file} of the example has no ${JSON.stringify(from)}`);
      writeFileSync(target, before.replace(from, to));
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
