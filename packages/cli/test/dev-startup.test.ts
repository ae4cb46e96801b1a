// `access-bridge dev` starts its embedded remote beside wrangler, not before it (issue 23). A
// remote that then fails to start must still end the run: wrangler stopped, the remote's error
// reported, a non-zero exit, nothing left running (the sandbox checks).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sandbox } from "@access-bridge/test-support/cli-process";

describe("access-bridge dev start-up", () => {
  it("an embedded remote that fails while wrangler starts: wrangler stopped, the remote's error, exit 1", async () => {
    const box = sandbox();
    const project = path.join(box.dir, "project");
    mkdirSync(project);
    writeFileSync(
      path.join(project, "index.js"),
      "export default { fetch: (request, env) => env.KV.get('x').then((v) => new Response(v)) };\n",
    );
    writeFileSync(
      path.join(project, "wrangler.json"),
      JSON.stringify({
        name: "startup-failure",
        main: "index.js",
        compatibility_date: "2025-09-01",
        kv_namespaces: [{ binding: "KV", id: "kv", remote: true }],
      }),
    );
    // The embedded remote reads its stand-ins from here, after wrangler has been started.
    writeFileSync(path.join(project, "access-bridge.jsonc"), "{ this is not JSON");
    const { code, stderr } = await box.runCli(["dev", "--port", "0"], { cwd: project });
    expect(code).toBe(1);
    expect(stderr).toContain("access-bridge.jsonc");
    expect(stderr).toContain("InvalidSymbol");
  }, 90_000);
});
