// Runs `wrangler dev` as the user would: the user's wrangler, its own terminal (stdio inherited,
// so the keyboard shortcuts, colours and logs are wrangler's own). Signals this process gets go
// on to wrangler, and the promise settles only once wrangler, and with it workerd, has exited.
import { spawn } from "node:child_process";
import { signalExitCode, type SignalGuard } from "../commands/shutdown.js";
import { withCompileCache } from "../compile-cache.js";
import type { ProjectWrangler } from "@access-bridge/dev-session";

export function runWranglerDev(
  wrangler: ProjectWrangler,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; guard: SignalGuard },
): Promise<number> {
  const child = spawn(process.execPath, [wrangler.bin, "dev", ...args], {
    stdio: "inherit",
    env: withCompileCache(options.env),
  });
  // In a terminal, Ctrl-C reaches wrangler too (same process group); a signal sent to this
  // process alone must be passed on.
  options.guard.onSignal((signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? signalExitCode(signal ?? "SIGTERM")));
  });
}
