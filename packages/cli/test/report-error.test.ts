// The CLI knows an error the person at the terminal can act on by its code, whatever its class
// and wherever it came from, prints its detail without a stack, and lets a bug through.
import { AccessEmulatorError } from "@access-bridge/access-emulator";
import { AuthRelayError } from "@access-bridge/auth-relay";
import { DevSessionError } from "@access-bridge/dev-session";
import { RemoteBindingsError } from "@access-bridge/remote-bindings";
import { describe, expect, it } from "vitest";
import { CliError } from "../src/cli-error.js";
import { reportKnownError } from "../src/report-error.js";

function report(error: unknown): { code: number; printed: string } {
  let printed = "";
  const code = reportKnownError(error, (text) => (printed += text));
  return { code, printed };
}

describe("reportKnownError", () => {
  it.each([
    [new CliError("ERR_USAGE", "--port takes a number.", 2), 2, "--port takes a number."],
    [new CliError("ERR_DEPLOY", "No account to pick."), 1, "No account to pick."],
    [new DevSessionError("ERR_REMOTE_URL", "Not an http(s) URL."), 1, "Not an http(s) URL."],
    [new AccessEmulatorError("ERR_PORT_IN_USE", "Port 1 is in use."), 1, "Port 1 is in use."],
    [
      new AuthRelayError("ERR_NOT_LOGGED_IN", {
        what: "Not logged in.",
        why: "No stored login.",
        fix: "Log in.",
      }),
      1,
      "Not logged in. No stored login. Log in.",
    ],
    [
      new RemoteBindingsError("ERR_UNSUPPORTED_BINDING", "Hyperdrive cannot be carried."),
      1,
      "Hyperdrive cannot be carried.",
    ],
  ])("%s: exits %i and prints its detail, without its code", (error, exitCode, detail) => {
    const { code, printed } = report(error);
    expect(code).toBe(exitCode);
    expect(printed).toBe(`✘ ${detail}\n`);
  });

  it("knows an error that crossed workerd by the code its message kept, and prints no stack", () => {
    const crossed = new Error("[ERR_ACCESS_NO_CREDENTIALS] Cloudflare Access blocked the call.");
    const { code, printed } = report(crossed);
    expect(code).toBe(1);
    expect(printed).toContain("Cloudflare Access blocked the call.");
    expect(printed).not.toMatch(/\n\s+at /);
  });

  it("lets an error without a code through, as the bug it is", () => {
    const bug = new TypeError("Cannot read properties of undefined");
    expect(() => report(bug)).toThrow(bug);
    expect(() => report("thrown text")).toThrow();
  });
});
