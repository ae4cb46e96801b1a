import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { vitestRemoteBindings } from "./vitest-remote-bindings.js";

// ACCESS_BRIDGE_REMOTE_URL and the Access credentials come from the environment: in CI, the
// lines `npx access-bridge remote` prints (see .github/workflows/vitest-workers.yml).
const remote = await vitestRemoteBindings({ configPath: "./wrangler.jsonc" });

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: remote.wrangler,
      // The integration brings its own Miniflare: the same options, types of another version.
      miniflare: { workers: remote.workers as never },
    }),
  ],
  test: {
    setupFiles: remote.setupFiles,
  },
});
