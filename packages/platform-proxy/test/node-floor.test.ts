// Which Node can load the hooks of `access-bridge run`: the check `run` makes before it starts
// anything, against Node's own history of module.registerHooks (added in 23.5.0, in 22.15.0).
import { readFileSync } from "node:fs";
import nodeModule from "node:module";
import { describe, expect, it } from "vitest";
import {
  assertNodeCanRegisterHooks,
  nodeHasRegisterHooks,
  PlatformProxyError,
  REGISTER_HOOKS_NODE_RANGE,
} from "@access-bridge/platform-proxy";

describe("the Node floor of the register hooks", () => {
  it("admits 22.15+, 23.5+ and anything newer; refuses what wrangler runs on but lacks the hooks", () => {
    for (const version of ["22.15.0", "22.23.5", "v22.15.1", "23.5.0", "24.0.0", "25.1.0"]) {
      expect(nodeHasRegisterHooks(version), version).toBe(true);
    }
    for (const version of ["22.12.0", "22.14.9", "v22.14.0", "23.0.0", "23.4.1", "20.19.0"]) {
      expect(nodeHasRegisterHooks(version), version).toBe(false);
    }
  });

  it("agrees with the Node running this test", () => {
    const has = typeof (nodeModule as Partial<typeof nodeModule>).registerHooks === "function";
    expect(nodeHasRegisterHooks(process.versions.node)).toBe(has);
  });

  it("says what happened, why, and what to do, with ERR_NODE_VERSION", () => {
    let thrown: unknown;
    try {
      assertNodeCanRegisterHooks("22.12.0");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PlatformProxyError);
    expect((thrown as PlatformProxyError).code).toBe("ERR_NODE_VERSION");
    const message = (thrown as Error).message;
    expect(message).toContain("access-bridge run needs Node 22.15 or newer");
    expect(message).toContain("this is Node 22.12.0");
    expect(message).toContain("module.registerHooks");
    expect(message).toContain("Install a current Node 22 LTS");
    expect(() => assertNodeCanRegisterHooks("22.15.0")).not.toThrow();
  });

  it("is the floor the package declares", () => {
    const manifest = JSON.parse(
      readFileSync(new URL("../package.json", import.meta.url), "utf8"),
    ) as { engines: { node: string } };
    expect(manifest.engines.node).toBe(REGISTER_HOOKS_NODE_RANGE);
  });
});
