import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { onTestFinished } from "vitest";

/** The built CLI, as `npm run build` leaves it and as the `access-bridge` bin runs it. */
export const CLI_BIN = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));

export interface CliRun {
  /** Resolves with the first match of `pattern` in stdout + stderr, so far or to come. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<CliResult>;
  kill(signal?: NodeJS.Signals): void;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A user's machine reduced to what the login commands read: its own config directory and home,
 * PATH, and nothing else, so no CLOUDFLARE_ACCESS_* or SSH variable of the machine running the
 * tests leaks in. `extra` adds or overrides variables.
 */
export async function loginEnvironment(
  extra: Record<string, string> = {},
): Promise<{ env: Record<string, string>; configDir: string }> {
  const home = await mkdtemp(path.join(os.tmpdir(), "access-bridge-login-"));
  onTestFinished(() => rm(home, { recursive: true, force: true }));
  const configDir = path.join(home, "config");
  return {
    configDir,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: home,
      ACCESS_BRIDGE_CONFIG_DIR: configDir,
      NO_COLOR: "1",
      ...extra,
    },
  };
}

/** Spawns `node packages/cli/dist/bin.js …args`; killed when the test ends if still running. */
export function runCli(
  args: string[],
  options: { env: Record<string, string>; cwd?: string },
): CliRun {
  if (!existsSync(CLI_BIN)) {
    throw new Error(`${CLI_BIN} does not exist: run \`npm run build\` before these tests.`);
  }
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    env: options.env,
    cwd: options.cwd ?? options.env.HOME,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      const match = (stdout + stderr).match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    check();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    check();
  });
  const exited = new Promise<CliResult>((resolve) =>
    child.once("close", (code) => resolve({ code, stdout, stderr })),
  );
  // SIGINT first: `dev` then stops its workerd processes, which SIGKILL would orphan.
  onTestFinished(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGINT");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  });
  return {
    exited,
    kill: (signal) => child.kill(signal),
    waitFor(pattern) {
      const match = (stdout + stderr).match(pattern);
      if (match) return Promise.resolve(match);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        void exited.then((result) =>
          reject(
            new Error(
              `the CLI exited (${result.code}) before printing ${pattern}:\n${result.stdout}\n${result.stderr}`,
            ),
          ),
        );
      });
    },
  };
}

/** Runs the CLI to completion. */
export function cli(
  args: string[],
  options: { env: Record<string, string>; cwd?: string },
): Promise<CliResult> {
  return runCli(args, options).exited;
}
