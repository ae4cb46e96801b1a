// The sandbox's checks are what make the suite fail when a command leaves something behind;
// these prove the checks can fail, each for its own reason.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sandbox } from "@access-bridge/test-support/cli-process";

describe("the sandbox of each test", () => {
  it("fails the test when a process it started outlives it", async () => {
    const box = sandbox();
    // Detached and never waited for, as a forgotten workerd would be.
    spawn("sleep", ["30"], { env: box.env, detached: true, stdio: "ignore" }).unref();
    await expect(box.end()).rejects.toThrow(
      /^Processes outlived the command that started them:\n {2}\d+ sleep 30 ?$/,
    );
  });

  it("fails the test when something is left in its temp folder", async () => {
    const box = sandbox();
    writeFileSync(path.join(box.tmp, "miniflare-left-behind"), "");
    await expect(box.end()).rejects.toThrow(
      /^Left in the temp folder after exit: miniflare-left-behind$/,
    );
  });
});
