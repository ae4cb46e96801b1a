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
// without a rebuild; only worker bundles (dist/workers) come from `npm run build`. Exact names
// only: a path inside a package (`access-bridge/dist/…`) resolves as Node resolves it.
const alias = workspaceDirs("packages")
  .filter((dir) => existsSync(path.join(root, dir, "src/index.ts")))
  .map((dir) => {
    const pkg = JSON.parse(readFileSync(path.join(root, dir, "package.json"), "utf8")) as {
      name: string;
    };
    const name = pkg.name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    return { find: new RegExp(`^${name}$`), replacement: path.join(root, dir, "src/index.ts") };
  });

const project = (dir: string, name = path.basename(dir), env: Record<string, string> = {}) => ({
  resolve: { alias },
  test: {
    name,
    root: path.join(root, dir),
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env,
  },
});

export default defineConfig({
  test: {
    // Fails the run when it leaves a workerd process or a temp folder behind, or when a canary
    // credential shows up in its output or in a file it wrote (scripts/README.md).
    globalSetup: ["scripts/test-guards.ts"],
    projects: [
      ...[...workspaceDirs("packages"), ...workspaceDirs("fixtures"), "bench"]
        .filter((dir) => existsSync(path.join(root, dir, "test")))
        .map((dir) => project(dir)),
      // The remote-bindings suite again, its local side on the latest Miniflare 4 (whose options
      // API differs from the Miniflare 5 that wrangler ships): see test/local-miniflare.ts.
      project(
        "fixtures/access-protected-remote-bindings",
        "access-protected-remote-bindings-miniflare-4",
        { ACCESS_BRIDGE_TEST_MINIFLARE: "4" },
      ),
    ],
  },
});
