// vitest's globalSetup for the whole run (vitest.config.mts): checks that fail `npm test` when
// the tests, all of them passing, still did something wrong.
//
// Tidiness (issue 13): the run gets a temp folder of its own (TMPDIR, inherited by every worker
// and every process they start) and a marker in the environment of those processes. At the end,
// a workerd process that carries the marker, or an `access-bridge-*` / `miniflare-*` folder left
// in the run's temp folder, fails the run; both are then cleaned up.
//
// Secrets (issue 13): the run makes canary credentials (packages/test-support/src/test-canary.ts). At the end,
// everything this process printed (the reporter's output: test logs, errors, warnings), the text
// tests handed to captureForCanaryCheck(), the files in the run's temp folder, and the files in
// the repository changed during the run are searched for them and for the values tests added with
// watchSecret(); a hit fails the run, naming where, never the value.
import { randomUUID } from "node:crypto";
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  type Stats,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  CANARY_ENV,
  canaryValues,
  makeCanaryCredentials,
  RUN_DIR_ENV,
} from "@access-bridge/test-support/test-canary";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RUN_MARKER = "ACCESS_BRIDGE_TEST_RUN";
const LEFT_BEHIND = /^(access-bridge-|miniflare-)/;
/** Skipped when the repository is searched: installed, generated or version-control files. */
const NOT_WRITTEN_BY_TESTS = new Set(["node_modules", ".git"]);
const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** How long processes get to finish exiting once the tests are done. */
const EXIT_GRACE_MS = 3_000;

interface Marked {
  pid: number;
  command: string;
  cwd: string;
}

/** workerd processes whose environment carries this run's marker, wherever they were reparented. */
function markedWorkerd(marker: string): Marked[] {
  const found: Marked[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, "utf8").trim();
      if (!comm.startsWith("workerd")) continue;
      const environ = readFileSync(`/proc/${entry}/environ`, "utf8").split("\0");
      if (!environ.includes(marker)) continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim();
      found.push({ pid: Number(entry), command, cwd: readlinkSync(`/proc/${entry}/cwd`) });
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  return found;
}

function* filesUnder(dir: string, since?: number): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!NOT_WRITTEN_BY_TESTS.has(entry.name)) yield* filesUnder(full, since);
    } else if (entry.isFile()) {
      let stat: Stats;
      try {
        stat = statSync(full);
      } catch {
        continue;
      }
      if (stat.size <= MAX_FILE_BYTES && (since === undefined || stat.mtimeMs >= since)) yield full;
    }
  }
}

function readLines(dir: string, prefix: string): string[] {
  const lines: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix)) continue;
    lines.push(...readFileSync(path.join(dir, name), "utf8").split("\n").filter(Boolean));
  }
  return lines;
}

export default function setup() {
  const startedAt = Date.now() - 1_000;
  const runId = randomUUID();
  const marker = `${RUN_MARKER}=${runId}`;
  const systemTmp = tmpdir();
  const runTmp = mkdtempSync(path.join(systemTmp, "access-bridge-test-tmp-"));
  const runDir = mkdtempSync(path.join(systemTmp, "access-bridge-test-run-"));
  const canary = makeCanaryCredentials();
  process.env[RUN_MARKER] = runId;
  process.env[CANARY_ENV] = JSON.stringify(canary);
  process.env[RUN_DIR_ENV] = runDir;
  process.env.TMPDIR = runTmp;

  // Everything this process prints: the reporter's output, with the tests' console output and
  // every error and warning it shows.
  let printed = "";
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write.bind(stream));
  streams.forEach((stream, index) => {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      printed += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      return (originals[index] as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
  });

  return async function teardown() {
    const problems: string[] = [];

    // Tidiness: processes first (they may still be writing into the temp folder).
    const deadline = Date.now() + EXIT_GRACE_MS;
    let left = markedWorkerd(marker);
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      left = markedWorkerd(marker);
    }
    for (const { pid, command, cwd } of left) {
      problems.push(`a workerd process outlived the tests: pid ${pid}, in ${cwd}: ${command}`);
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    // Miniflare removes its temp folder without awaiting it after dispose() resolves, so a
    // folder may still be going away: give those removals the same grace as the processes.
    const leftFolders = () => readdirSync(runTmp).filter((one) => LEFT_BEHIND.test(one));
    while (leftFolders().length > 0 && Date.now() < deadline + EXIT_GRACE_MS) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const name of leftFolders().sort()) {
      // What is inside tells whose it was (Miniflare keeps a folder per plugin and Worker).
      const inside = [...filesUnder(path.join(runTmp, name))]
        .slice(0, 5)
        .map((file) => path.relative(path.join(runTmp, name), file));
      problems.push(
        `a temp folder was left behind: ${name}` +
          (inside.length > 0 ? ` (holding ${inside.join(", ")})` : " (empty)"),
      );
    }

    // Secrets.
    const watched = readLines(runDir, "watched-").map((line) => JSON.parse(line) as string);
    const secrets = [
      ...canaryValues(canary).map((value, index) => ({
        name: ["the canary client id", "the canary client secret", "the canary user token"][index]!,
        value,
      })),
      ...watched.map((value) => ({ name: "a credential a test watched", value })),
    ];
    const search = (where: string, text: string) => {
      for (const { name, value } of secrets) {
        if (text.includes(value)) problems.push(`${name} appears in ${where}`);
      }
    };
    search("the run's output (stdout/stderr)", printed);
    for (const line of readLines(runDir, "captured-")) {
      const { label, text } = JSON.parse(line) as { label: string; text: string };
      search(`text captured by a test (${label})`, text);
    }
    for (const file of filesUnder(runTmp)) {
      search(
        `a file in the run's temp folder (${path.relative(runTmp, file)})`,
        readFileSync(file, "latin1"),
      );
    }
    for (const file of filesUnder(REPO, startedAt)) {
      search(`a file the run wrote (${path.relative(REPO, file)})`, readFileSync(file, "latin1"));
    }

    streams.forEach((stream, index) => (stream.write = originals[index] as typeof stream.write));
    rmSync(runTmp, { recursive: true, force: true });
    rmSync(runDir, { recursive: true, force: true });
    if (problems.length > 0) {
      process.exitCode = 1;
      throw new Error(
        `npm test: the tests passed, but the run\n${problems.map((one) => `  - ${one}`).join("\n")}\n` +
          `See scripts/README.md.`,
      );
    }
  };
}
