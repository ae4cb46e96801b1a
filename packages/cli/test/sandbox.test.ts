// The sandbox's checks are what make the suite fail when a command leaves something behind;
// these prove the checks can fail.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "vitest";
import { sandbox } from "@access-bridge/test-support/cli-process";

describe("the sandbox of each test", () => {
  it.fails("fails the test when a process it started outlives it", () => {
    const box = sandbox();
    // Detached and never waited for, as a forgotten workerd would be.
    spawn("sleep", ["30"], { env: box.env, detached: true, stdio: "ignore" }).unref();
  });

  it.fails("fails the test when something is left in its temp folder", () => {
    const box = sandbox();
    writeFileSync(path.join(box.tmp, "miniflare-left-behind"), "");
  });
});
