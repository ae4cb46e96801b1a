// npm run bench -- --startup [--rounds 5] [--out bench/startup-results.json]
//
// Time from the command's start to the first answer of a call that uses a binding (a KV get), for
// a project with N bindings; the time to wrangler's "Ready on" line is kept beside it. The call,
// not the line, is what a developer waits for, and `dev` may print the line before its embedded
// remote is up (the remote starts beside wrangler; an early call waits at its front door).
// Scenarios:
//   wrangler          `wrangler dev` of the project with those bindings local (the floor);
//   dev, remote       `access-bridge dev --remote-url <a remote behind the Access emulator>`;
//   dev, embedded     `access-bridge dev` with no remote: its embedded remote starts beside wrangler;
//   printed line      the `wrangler dev -c … -c …` line `access-bridge wrangler-config` prints.
// Each process is stopped with Ctrl-C and awaited before the next starts. Rounds interleave the
// scenarios, so that drift of a shared machine hits them alike; the ratios to the floor are
// medians of one run.
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startAccessEmulator } from "@access-bridge/access-emulator";
import { proxyServerWorker, WORKERS_COMPATIBILITY_DATE } from "@access-bridge/remote-bindings";
import type { V4WorkerOptions } from "miniflare";
import { median } from "./measure.js";

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.resolve(benchDir, "..");
const CLI = path.join(repoRoot, "packages/cli/dist/bin.js");
const WRANGLER = path.join(repoRoot, "node_modules/wrangler/bin/wrangler.js");
const READY = /Ready on (http:\/\/\S+:\d+)/;
const KINDS = ["kv", "r2", "d1"] as const;

type Kind = (typeof KINDS)[number];
type Scenario = "wrangler" | "dev, remote" | "dev, embedded" | "printed line";
const SCENARIOS: Scenario[] = ["wrangler", "dev, remote", "dev, embedded", "printed line"];

interface Binding {
  name: string;
  kind: Kind;
}

function bindings(count: number): Binding[] {
  return Array.from({ length: count }, (_, index) => {
    const kind = KINDS[index % KINDS.length]!;
    return { name: `${kind.toUpperCase()}_${index + 1}`, kind };
  });
}

function wranglerConfig(list: Binding[], remote: boolean) {
  const of = (kind: Kind) => list.filter((binding) => binding.kind === kind);
  const flag = remote ? { remote: true } : {};
  return {
    name: "startup-bench",
    main: "index.js",
    compatibility_date: "2026-04-01",
    kv_namespaces: of("kv").map(({ name }) => ({ binding: name, id: name.toLowerCase(), ...flag })),
    r2_buckets: of("r2").map(({ name }) => ({
      binding: name,
      bucket_name: name.toLowerCase().replace(/_/g, "-"),
      ...flag,
    })),
    d1_databases: of("d1").map(({ name }) => ({
      binding: name,
      database_name: name.toLowerCase(),
      database_id: "00000000-0000-4000-8000-000000000000",
      ...flag,
    })),
  };
}

/** Two copies of the project: with the bindings local, and marked remote. */
function writeProjects(root: string, list: Binding[]): { local: string; remote: string } {
  const dirs = { local: path.join(root, "local"), remote: path.join(root, "remote") };
  for (const [variant, dir] of Object.entries(dirs)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, "index.js"),
      // KV_1 is in every project (bindings() starts with a KV namespace).
      'export default { fetch: async (request, env) => Response.json(await env.KV_1.get("startup")) };\n',
    );
    writeFileSync(
      path.join(dir, "wrangler.json"),
      JSON.stringify(wranglerConfig(list, variant === "remote"), null, 2),
    );
  }
  return dirs;
}

function run(
  command: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ readyMs: number; firstCallMs: number; output: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, command, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let readyMs: number | undefined;
    let firstCallMs: number | undefined;
    let failure: Error | undefined;
    const firstCall = async (url: string) => {
      try {
        const response = await fetch(url);
        const body = await response.text();
        if (!response.ok) throw new Error(`first call answered ${response.status}: ${body}`);
        firstCallMs = performance.now() - started;
      } catch (error) {
        failure = error as Error;
      } finally {
        child.kill("SIGINT");
      }
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = readyMs === undefined ? READY.exec(output) : null;
      if (ready) {
        readyMs = performance.now() - started;
        void firstCall(ready[1]!);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", reject);
    child.on("close", () => {
      if (readyMs === undefined) reject(new Error(`no ready line:\n${output}`));
      else if (firstCallMs === undefined) reject(new Error(`${failure?.message}\n${output}`));
      else resolve({ readyMs, firstCallMs, output });
    });
  });
}

async function startRemote(list: Binding[]) {
  const of = (kind: Kind) => list.filter((binding) => binding.kind === kind).map((b) => b.name);
  return startAccessEmulator({
    origin: {
      worker: proxyServerWorker({
        compatibilityDate: WORKERS_COMPATIBILITY_DATE,
        kvNamespaces: of("kv"),
        r2Buckets: of("r2"),
        d1Databases: of("d1"),
      } as V4WorkerOptions),
    },
    application: { type: "service_auth_only" },
  });
}

export interface StartupResult {
  bindings: number;
  rounds: number;
  /** Median ms from spawn to the first call's answer, per scenario. */
  medianMs: Record<Scenario, number>;
  samplesMs: Record<Scenario, number[]>;
  /** Median ms from spawn to wrangler's ready line, per scenario. */
  readyMedianMs: Record<Scenario, number>;
  /** Median of each scenario over the median of `wrangler`. */
  ratios: Record<Scenario, number>;
}

async function measure(count: number, rounds: number, log: (line: string) => void) {
  const root = mkdtempSync(path.join(tmpdir(), "access-bridge-startup-bench-"));
  const remote = await startRemote(bindings(count));
  try {
    const projects = writeProjects(root, bindings(count));
    const token = remote.createServiceToken();
    const env = {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      NO_COLOR: "1",
      CLOUDFLARE_ACCESS_CLIENT_ID: token.clientId,
      CLOUDFLARE_ACCESS_CLIENT_SECRET: token.clientSecret,
    };
    const generated = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, "wrangler-config", "--remote-url", remote.url], {
        cwd: projects.remote,
        env,
        stdio: ["ignore", "pipe", "inherit"],
      });
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
      child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(out))));
    });
    const printed = generated
      .split("\n")
      .find((line) => line.startsWith("  npx wrangler dev "))!
      .trim()
      .split(/\s+/)
      .slice(2);
    const commands: Record<Scenario, { command: string[]; cwd: string }> = {
      wrangler: { command: [WRANGLER, "dev", "--port", "0"], cwd: projects.local },
      "dev, remote": {
        command: [CLI, "dev", "--port", "0", "--remote-url", remote.url],
        cwd: projects.remote,
      },
      "dev, embedded": { command: [CLI, "dev", "--port", "0"], cwd: projects.remote },
      "printed line": { command: [WRANGLER, ...printed, "--port", "0"], cwd: projects.remote },
    };
    const emptySamples = () =>
      Object.fromEntries(SCENARIOS.map((s) => [s, [] as number[]])) as Record<Scenario, number[]>;
    const samples = emptySamples();
    const readySamples = emptySamples();
    // One unmeasured round: the first start of each pays for cold disk caches.
    for (let round = 0; round <= rounds; round++) {
      for (const scenario of SCENARIOS) {
        const { command, cwd } = commands[scenario];
        const { readyMs, firstCallMs } = await run(command, cwd, env);
        if (round > 0) {
          samples[scenario].push(firstCallMs);
          readySamples[scenario].push(readyMs);
        }
        log(
          `N=${count} round ${round}${round === 0 ? " (warm-up)" : ""} ${scenario}: ready ${readyMs.toFixed(0)} ms, first call ${firstCallMs.toFixed(0)} ms`,
        );
      }
    }
    const medians = (of: Record<Scenario, number[]>) =>
      Object.fromEntries(SCENARIOS.map((s) => [s, Math.round(median(of[s]))])) as Record<
        Scenario,
        number
      >;
    const medianMs = medians(samples);
    const ratios = Object.fromEntries(
      SCENARIOS.map((s) => [s, Number((medianMs[s] / medianMs.wrangler).toFixed(2))]),
    ) as Record<Scenario, number>;
    return {
      bindings: count,
      rounds,
      medianMs,
      samplesMs: samples,
      readyMedianMs: medians(readySamples),
      ratios,
    };
  } finally {
    await remote.dispose();
    rmSync(root, { recursive: true, force: true });
  }
}

export function formatStartup(results: StartupResult[]): string {
  const rows = [["N", ...SCENARIOS.map((s) => `${s} ms (×)`)]];
  for (const result of results) {
    rows.push([
      String(result.bindings),
      ...SCENARIOS.map((s) => `${result.medianMs[s]} (${result.ratios[s].toFixed(2)}×)`),
    ]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
  return [
    "Start-up to the first call's answer (median; × = ratio to wrangler dev with the bindings local):",
    line(rows[0]!),
    `| ${widths.map((width) => "-".repeat(width)).join(" | ")} |`,
    ...rows.slice(1).map(line),
  ].join("\n");
}

const { values } = parseArgs({
  options: {
    startup: { type: "boolean", default: true },
    rounds: { type: "string", default: "5" },
    out: { type: "string", default: path.join(benchDir, "startup-results.json") },
  },
});
const rounds = Number(values.rounds);
const log = (line: string) => console.error(`[bench] ${line}`);
const results: StartupResult[] = [];
for (const count of [1, 10]) results.push(await measure(count, rounds, log));
console.log(formatStartup(results));
writeFileSync(values.out!, `${JSON.stringify(results, null, 2)}\n`);
console.error(`[bench] wrote ${path.relative(process.cwd(), values.out!)}`);
