import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { rewriteWranglerConfig } from "@access-bridge/remote-bindings";
import { writeWranglerConfigs } from "../src/write-wrangler-configs.js";

let project: string;
afterEach(() => rmSync(project, { recursive: true, force: true }));

it("writes both configs, the .env of references, .gitignore and links to the project's .dev.vars", () => {
  project = mkdtempSync(path.join(tmpdir(), "access-bridge-write-"));
  writeFileSync(path.join(project, "index.js"), "export default { fetch() {} };");
  writeFileSync(path.join(project, ".dev.vars"), "SECRET=1\n");
  const outDir = path.join(project, ".wrangler/access-bridge");
  const configs = rewriteWranglerConfig({
    rawConfig: {
      main: "index.js",
      ai: { binding: "AI" },
      env: { staging: { ai: { binding: "AI" } } },
    },
    configPath: path.join(project, "wrangler.jsonc"),
    outDir,
    remoteUrl: "https://proxy.example.workers.dev",
  });
  const written = writeWranglerConfigs(configs, { outDir, projectDir: project });
  expect(written.warnings).toEqual([]);
  // Workers AI's facade comes in through an entry that wraps the user's.
  expect(JSON.parse(readFileSync(written.userConfig, "utf8")).main).toBe("./entry.mjs");
  expect(JSON.parse(readFileSync(written.clientConfig!, "utf8")).no_bundle).toBe(true);
  expect(readFileSync(path.join(outDir, "proxy-client/.env"), "utf8")).toContain(
    "accessToken=${CLOUDFLARE_ACCESS_TOKEN}",
  );
  expect(readFileSync(path.join(outDir, ".gitignore"), "utf8")).toMatch(/^\*$/m);
  expect(readlinkSync(path.join(outDir, ".dev.vars"))).toBe("../../.dev.vars");
  expect(readFileSync(path.join(outDir, ".dev.vars"), "utf8")).toBe("SECRET=1\n");
  // A file the project does not have yet is linked too: it works once created.
  expect(lstatSync(path.join(outDir, ".dev.vars.staging")).isSymbolicLink()).toBe(true);
  expect(existsSync(path.join(outDir, ".dev.vars.staging"))).toBe(false);

  // Writing the same configs again leaves the files alone (wrangler reloads on any change).
  const before = statSync(written.userConfig).mtimeMs;
  writeWranglerConfigs(configs, { outDir, projectDir: project });
  expect(statSync(written.userConfig).mtimeMs).toBe(before);
});
