import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

function workspaceDirs(parent: string): string[] {
  const dir = path.join(root, parent);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(parent, entry.name));
}

// Tests import packages by name but run against their TypeScript sources, so a change is tested
// without a rebuild; only worker bundles (dist/workers) come from `npm run build`.
const alias = Object.fromEntries(
  workspaceDirs("packages")
    .filter((dir) => existsSync(path.join(root, dir, "src/index.ts")))
    .map((dir) => {
      const pkg = JSON.parse(readFileSync(path.join(root, dir, "package.json"), "utf8")) as {
        name: string;
      };
      return [pkg.name, path.join(root, dir, "src/index.ts")];
    }),
);

export default defineConfig({
  test: {
    // Fails the run when it leaves a workerd process or a temp folder behind, or when a canary
    // credential shows up in its output or in a file it wrote (scripts/README.md).
    globalSetup: ["scripts/test-guards.ts"],
    projects: [...workspaceDirs("packages"), ...workspaceDirs("fixtures"), "bench"]
      .filter((dir) => existsSync(path.join(root, dir, "test")))
      .map((dir) => ({
        resolve: { alias },
        test: {
          name: path.basename(dir),
          root: path.join(root, dir),
          include: ["test/**/*.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      })),
  },
});
