// Runs an npm script of a project (`npm run dev`, `npx vite build`) as a developer would, in a
// child process marked in its environment. Stopping it checks that nothing it started (Vite,
// workerd, the embedded remote) is left running: a leak is the product's bug, not the test's.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
// The same variables the CLI's tests take out of the environment they start processes in.
import { SCRUBBED } from "@access-bridge/test-support/cli-process";

const MARK = "ACCESS_BRIDGE_VITE_TEST_MARK";

export interface RunningProcess {
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /**
   * The first match of `pattern` in the output after `from` (an offset in it), now or later;
   * rejects with the output if the process exits first or nothing matches within `withinMs`.
   */
  waitFor(pattern: RegExp, from?: number, withinMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
  /** SIGTERM to the whole process group; resolves once it exited and nothing it started is left. */
  stop(): Promise<void>;
}

/** Live processes whose environment holds the mark (Linux /proc). */
function marked(mark: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").includes(`${MARK}=${mark}`)) {
        continue;
      }
      if (/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${entry}/stat`, "utf8"))) continue;
      found.push(readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ").trim());
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

export function startProcess(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string | undefined> },
): RunningProcess {
  const mark = randomUUID();
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of SCRUBBED) delete env[name];
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    // Its own process group, so that stop() reaches npm, Vite and workerd alike.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...env,
      // Plain text to match on; no Request.cf download (there is no internet in CI).
      NO_COLOR: "1",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      ...options.env,
      [MARK]: mark,
    },
  });
  let output = "";
  const watchers = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    for (const watcher of watchers) watcher();
  };
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));

  return {
    output: () => output,
    waitFor(pattern, from = 0, withinMs = 30_000) {
      return new Promise((resolve, reject) => {
        const already = output.slice(from).match(pattern);
        if (already !== null) return resolve(already);
        const settle = () => {
          watchers.delete(check);
          clearTimeout(deadline);
        };
        const fail = (why: string) => {
          if (!watchers.has(check)) return;
          settle();
          reject(new Error(`${command} ${args.join(" ")} ${why} ${pattern}:\n${output}`));
        };
        const check = () => {
          const match = output.slice(from).match(pattern);
          if (match === null) return false;
          settle();
          resolve(match);
          return true;
        };
        const deadline = setTimeout(
          () => fail(`printed nothing in ${withinMs} ms matching`),
          withinMs,
        );
        watchers.add(check);
        void exited.then((code) => fail(`exited (${code}) before printing`));
      });
    },
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null)
        process.kill(-child.pid!, "SIGTERM");
      await exited;
      // npm exits once Vite has; what Vite started may take a moment longer to go.
      let left = marked(mark);
      for (const deadline = Date.now() + 10_000; left.length > 0 && Date.now() < deadline;) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        left = marked(mark);
      }
      if (left.length > 0) {
        for (const line of left) console.error(`left running: ${line}`);
        throw new Error(
          `${command} ${args.join(" ")} left ${left.length} process(es) running after it stopped:\n${left.join("\n")}`,
        );
      }
    },
  };
}

/** `npm run dev -- …` on a free port of 127.0.0.1; resolves once Vite prints its URL. */
export async function startDevServer(
  cwd: string,
  env: Record<string, string | undefined> = {},
): Promise<RunningProcess & { url: URL }> {
  const dev = startProcess("npm", ["run", "dev", "--", "--port", "0", "--host", "127.0.0.1"], {
    cwd,
    env,
  });
  try {
    const [, url] = await dev.waitFor(/Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/, 0, 90_000);
    return { ...dev, url: new URL(url!) };
  } catch (error) {
    await dev.stop();
    throw error;
  }
}
