// Runs the built CLI (and wrangler) as a user would, each test in a sandbox of its own: its own
// temp, config and log folders and a mark in the environment that every process it starts
// inherits. When the test ends, what it started is stopped, and the test fails if any process
// with its mark is still alive or anything is left in its temp folder: a command that exits
// without stopping what it started is a bug of the command, not of the test.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { onTestFinished } from "vitest";
import { KEPT_TEMP_CACHES } from "./kept-caches.js";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const CLI = path.join(REPO_ROOT, "packages/cli/dist/bin.js");
export const WRANGLER = path.join(REPO_ROOT, "node_modules/wrangler/bin/wrangler.js");
export const EXAMPLE_DIR = path.join(REPO_ROOT, "examples/notes");

const MARK = "ACCESS_BRIDGE_TEST_MARK";

/** Variables a developer's shell may carry that would change what these tests see. */
export const SCRUBBED = [
  "CLOUDFLARE_ACCESS_CLIENT_ID",
  "CLOUDFLARE_ACCESS_CLIENT_SECRET",
  "CLOUDFLARE_ACCESS_TOKEN",
  "ACCESS_BRIDGE_REMOTE_URL",
  "CLOUDFLARE_ENV",
  "CLOUDFLARE_INCLUDE_PROCESS_ENV",
  "CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV",
  "CLOUDFLARE_API_TOKEN",
  "CLOUDFLARE_ACCOUNT_ID",
];

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout+stderr, so far or to come. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<Exit>;
  /** Sends `signal` and resolves with how the process ended. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

export interface Sandbox {
  /** Removed when the test ends. */
  dir: string;
  /** TMPDIR of every process started here: must be empty once they have stopped. */
  tmp: string;
  env: NodeJS.ProcessEnv;
  /** Copies a project folder into the sandbox; returns its path there. */
  project(source: string): string;
  startCli(args: string[], options?: StartOptions): RunningProcess;
  /** The CLI on a terminal of its own (arguments without spaces); type into `child.stdin`. */
  startCliInTerminal(args: string[], options?: StartOptions): RunningProcess;
  startWrangler(args: string[], options?: StartOptions): RunningProcess;
  runCli(
    args: string[],
    options?: StartOptions,
  ): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /**
   * What runs when the test ends, callable earlier: stops what the test left running, removes
   * the sandbox, and throws if a marked process outlived it or its temp folder is not empty. Once
   * called, the end of the test does not run it again.
   */
  end(): Promise<void>;
}

export interface StartOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
}

/** Live processes whose environment holds `mark` (Linux /proc), other than this one. */
export function processesMarked(mark: string): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, "utf8");
      if (!environ.split("\0").includes(`${MARK}=${mark}`)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (/^\d+ \(.*\) Z /.test(stat)) continue; // a zombie has already exited
      const command = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ");
      found.push({ pid: Number(entry), command: command.slice(0, 160) });
    } catch {
      // Ended while we looked, or not ours to read.
    }
  }
  return found;
}

/** Waits (bounded) for the marked processes to end; returns those still alive. */
async function leftoverProcesses(mark: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  let left = processesMarked(mark);
  while (left.length > 0 && Date.now() < deadline) {
    // Nothing to await: processes that are not our children do not tell us when they end.
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = processesMarked(mark);
  }
  return left;
}

function startProcess(
  [executable, ...args]: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  started: RunningProcess[],
): RunningProcess {
  const child = spawn(executable!, args, { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  child.stdout!.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    notify();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    err += chunk.toString();
    notify();
  });
  // "close", not "exit": it comes after the output streams have ended.
  const exited = new Promise<Exit>((resolve) =>
    child.on("close", (code, signal) => {
      resolve({ code, signal });
      notify();
    }),
  );
  const running: RunningProcess = {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = (out + err).match(pattern);
          if (match) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(
              new Error(`Exited before printing ${pattern}.\nstdout:\n${out}\nstderr:\n${err}`),
            );
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(`No ${pattern} within ${timeoutMs} ms.\nstdout:\n${out}\nstderr:\n${err}`),
          );
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    async stop(signal = "SIGINT") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  started.push(running);
  return running;
}

export function sandbox(): Sandbox {
  const dir = mkdtempSync(path.join(tmpdir(), "access-bridge-test-"));
  const tmp = path.join(dir, "tmp");
  const config = path.join(dir, "config");
  mkdirSync(tmp);
  mkdirSync(config);
  const mark = randomUUID();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    TMPDIR: tmp,
    XDG_CONFIG_HOME: config,
    ACCESS_BRIDGE_CONFIG_DIR: path.join(config, "access-bridge"),
    WRANGLER_LOG_PATH: path.join(dir, "wrangler-logs"),
    WRANGLER_SEND_METRICS: "false",
    [MARK]: mark,
  };
  for (const name of SCRUBBED) delete env[name];
  const started: RunningProcess[] = [];

  let ended: Promise<void> | undefined;
  const end = async () => {
    try {
      for (const running of started) {
        if (running.child.exitCode !== null || running.child.signalCode !== null) continue;
        // Still running because the test failed before stopping it: stop it as a user would.
        running.child.kill("SIGINT");
        const ended = await Promise.race([
          running.exited,
          new Promise((resolve) => setTimeout(resolve, 10_000, "timeout")),
        ]);
        if (ended === "timeout") running.child.kill("SIGKILL");
      }
      const left = await leftoverProcesses(mark);
      for (const { pid } of left) process.kill(pid, "SIGKILL");
      if (left.length > 0) {
        throw new Error(
          `Processes outlived the command that started them:\n${left.map((p) => `  ${p.pid} ${p.command}`).join("\n")}`,
        );
      }
      const leftFiles = readdirSync(tmp).filter((name) => !KEPT_TEMP_CACHES.has(name));
      if (leftFiles.length > 0) {
        throw new Error(`Left in the temp folder after exit: ${leftFiles.join(", ")}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  onTestFinished(() => (ended === undefined ? (ended = end()) : undefined));

  const merge = (extra: StartOptions["env"] = {}) => {
    const merged = { ...env };
    for (const [name, value] of Object.entries(extra)) {
      if (value === undefined) delete merged[name];
      else merged[name] = value;
    }
    return merged;
  };
  const box: Sandbox = {
    dir,
    tmp,
    env,
    project(source) {
      const target = path.join(dir, path.basename(source));
      cpSync(source, target, {
        recursive: true,
        filter: (file) => !file.includes(`${path.sep}.wrangler`),
      });
      return target;
    },
    startCli: (args, options = {}) =>
      startProcess(
        [process.execPath, CLI, ...args],
        merge(options.env),
        options.cwd ?? dir,
        started,
      ),
    startCliInTerminal: (args, options = {}) =>
      // util-linux script(1) runs the command on a pseudo-terminal: stdin is what a user types.
      startProcess(
        ["script", "-qefc", [process.execPath, CLI, ...args].join(" "), "/dev/null"],
        merge(options.env),
        options.cwd ?? dir,
        started,
      ),
    startWrangler: (args, options = {}) =>
      startProcess(
        [process.execPath, WRANGLER, ...args],
        merge(options.env),
        options.cwd ?? dir,
        started,
      ),
    async runCli(args, options = {}) {
      const running = box.startCli(args, options);
      const { code } = await running.exited;
      return { code, stdout: running.stdout(), stderr: running.stderr() };
    },
    end: () => (ended ??= end()),
  };
  return box;
}

/** The URL wrangler dev prints when it is ready. */
export const READY = /Ready on (http:\/\/[^\s]+:\d+)/;

/** Direct children of `pid` (Linux /proc), with their command lines. */
export function childrenOf(pid: number): { pid: number; command: string }[] {
  const children: { pid: number; command: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(/^\d+ \(.*\) \S+ (\d+)/.exec(stat)?.[1]);
      if (parent !== pid) continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ");
      children.push({ pid: Number(entry), command });
    } catch {
      // Ended while we looked.
    }
  }
  return children;
}

/** `pid` and every process below it (Linux /proc). */
export function processTree(pid: number): number[] {
  const tree = [pid];
  for (let index = 0; index < tree.length; index++) {
    tree.push(...childrenOf(tree[index]!).map((child) => child.pid));
  }
  return tree;
}

/** The TCP ports the processes listen on (Linux /proc: their sockets in LISTEN state). */
export function listeningPorts(pids: number[]): number[] {
  const ports = new Set<number>();
  for (const pid of pids) {
    try {
      const inodes = new Set(
        readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
          try {
            return [/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1]];
          } catch {
            return [];
          }
        }),
      );
      for (const table of ["tcp", "tcp6"]) {
        for (const line of readFileSync(`/proc/${pid}/net/${table}`, "utf8").split("\n").slice(1)) {
          const fields = line.trim().split(/\s+/);
          // local_address is field 1 ("0100007F:1F90"), st is field 3 ("0A" = LISTEN).
          if (fields[3] === "0A" && inodes.has(fields[9])) {
            ports.add(parseInt(fields[1]!.split(":")[1]!, 16));
          }
        }
      }
    } catch {
      // Ended while we looked.
    }
  }
  return [...ports];
}
