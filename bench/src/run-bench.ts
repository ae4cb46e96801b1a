// One bench run: for each round-trip time, fresh remotes and a fresh local Miniflare; the four
// scenarios measured side by side (interleaved, so drift hits them alike) with the same payload.
import { measureRtt } from "@access-bridge/test-support/delay-proxy";
import type { EmulatorCost } from "./emulator-cost.js";
import { measureEmulatorCost } from "./emulator-cost.js";
import type { LargeBodyResult } from "./large-bodies.js";
import { measureLargeBodies } from "./large-bodies.js";
import type { CallPath, Latency } from "./measure.js";
import type { ManyCalls } from "./measure.js";
import { Caller, callMany, median, percentiles, round, throughput } from "./measure.js";
import type { ProcessUsage, ScenarioId } from "./topology.js";
import { bindingFor, processUsage, SCENARIOS, startLocal, startRemotes } from "./topology.js";

export interface BenchOptions {
  rtts: number[];
  /** Sequential calls per scenario and path for p50/p95. */
  samples: number;
  /** How long each calls/s measurement runs. */
  throughputMs: number;
  concurrencies: number[];
  /** Calls per scenario before resources are measured again (half RPC, half HTTP). */
  resourceCalls: number;
  /** Size of each large body (R2 object, AI stream, HTTP body) whose peak RSS is measured. */
  largeBodyBytes: number;
  /** Rounds of the large bodies, interleaved; each body's time is the median. */
  largeBodyRounds: number;
  /**
   * Fresh topologies (remotes and local Miniflare) whose first calls are timed, the run's own
   * included; each first call is their median. Only at RTT > 0, where the cold goals are read:
   * one cold sample moves by tens of milliseconds on a shared machine.
   */
  coldRounds: number;
  log?: (line: string) => void;
}

export const FULL: Omit<BenchOptions, "log"> = {
  rtts: [0, 10],
  samples: 400,
  throughputMs: 2000,
  concurrencies: [1, 8, 32],
  resourceCalls: 10_000,
  largeBodyBytes: 50 * 1024 * 1024,
  largeBodyRounds: 3,
  coldRounds: 5,
};

export const QUICK: Omit<BenchOptions, "log"> = {
  rtts: [0, 10],
  samples: 40,
  throughputMs: 300,
  concurrencies: [1, 8, 32],
  resourceCalls: 300,
  largeBodyBytes: 5 * 1024 * 1024,
  largeBodyRounds: 1,
  coldRounds: 1,
};

export interface PathResult extends Latency {
  /** The median of firstCallSamplesMs. */
  firstCallMs: number;
  /**
   * The first call of each cold round, in order (the floor's samples pair with these); absent
   * from results written before cold rounds were.
   */
  firstCallSamplesMs?: number[];
  /** RPC and HTTP only: the chain and D1 are measured for latency. */
  callsPerSecond?: Record<string, number>;
  /** Calls that failed, sequential or concurrent (none, unless a design breaks under load). */
  failedCalls: number;
  firstError?: string;
}

export interface Usage {
  /** Undefined when it could not be read (see processUsage). */
  local?: ProcessUsage;
  remote?: ProcessUsage;
  /** TCP connections open through the delay proxy (the emulated network). */
  networkConnections?: number;
}

export interface RttResult {
  rttMs: number;
  /** What the delay proxy really adds per round trip (timers fire late). */
  measuredRttMs: number;
  scenarios: Record<ScenarioId, Partial<Record<CallPath, PathResult>>>;
  resources: Record<ScenarioId, { calls: ManyCalls; before: Usage; after: Usage }>;
  /** Connections still open on each scenario's network link once the local Miniflare is disposed. */
  openAfterDispose: Record<Exclude<ScenarioId, "floor">, number>;
  /** Peak RSS of the local workerd while large bodies pass; measured in the RTT 0 run. */
  largeBodies?: LargeBodyResult[];
}

export interface Ratios {
  rttMs: number;
  path: CallPath;
  /** (2b) / (2), p50: what the client spends on auth (two request headers). */
  clientAuthCost: number;
  /** (3) / (2), p50. */
  authOverhead: number;
  /**
   * (3) / (2) once the emulator's own per-request cost is taken off (3): what access-bridge's
   * client adds for auth. HTTP only; on the RPC path Access sees only the one upgrade.
   */
  authOverheadNetOfEmulator?: number;
  /** (4) / (3), p50. */
  hopCost: number;
  /** (p50 − floor p50) / measured RTT; only when RTT > 0. */
  roundTripsPerCall?: Record<"plain" | "access" | "hop", number>;
}

/** The dependent chain and D1, in round trips ((p50 − floor p50) / measured RTT; RTT > 0). */
export interface ExtraRatios {
  rttMs: number;
  /** getCounter().increment(): 1 when the second call is pipelined, 2 when it waits. */
  chainRoundTrips: Partial<Record<"plain" | "access" | "hop", number>>;
  /** Two sequential RPC calls, the floor the chain is measured against: 2 × the RPC trips. */
  twoCallRoundTrips: Partial<Record<"plain" | "access" | "hop", number>>;
  /** prepare().bind().first() through the D1 facade, no Access. */
  d1RoundTrips: number;
}

export interface BenchResults {
  options: Omit<BenchOptions, "log">;
  startedAt: string;
  durationSeconds: number;
  node: string;
  cpus: number;
  emulatorCost: EmulatorCost;
  runs: RttResult[];
  ratios: Ratios[];
  extraRatios: ExtraRatios[];
}

const PATHS: CallPath[] = ["rpc", "http"];
const THROUGHPUT_PATHS = new Set<CallPath>(["rpc", "http"]);

type FirstCalls = Record<ScenarioId, Partial<Record<CallPath, number>>>;

/** The first call of every scenario and path, in order, on a topology nothing has called yet. */
async function firstCalls(caller: Caller): Promise<FirstCalls> {
  const first = {} as FirstCalls;
  for (const scenario of SCENARIOS) {
    first[scenario.id] = {};
    for (const path of scenario.paths) {
      first[scenario.id][path] = await caller.call(path, bindingFor(scenario, path));
    }
  }
  return first;
}

/** The first calls of a topology started for them alone, then stopped. */
async function coldRound(rttMs: number): Promise<FirstCalls> {
  const remotes = await startRemotes(rttMs);
  try {
    const local = await startLocal(remotes);
    const caller = new Caller(local.urlFor);
    try {
      return await firstCalls(caller);
    } finally {
      await caller.close();
      await local.dispose();
    }
  } finally {
    await remotes.close();
  }
}

async function runAtRtt(rttMs: number, options: BenchOptions): Promise<RttResult> {
  const log = options.log ?? (() => {});
  const measuredRttMs = rttMs === 0 ? 0 : round(await measureRtt(rttMs));
  const extraColdRounds = rttMs === 0 ? 0 : options.coldRounds - 1;
  // Before the run's own topology starts, so that no other topology is alive beside them.
  const cold: FirstCalls[] = [];
  for (let round = 1; round <= extraColdRounds; round++) {
    log(
      `RTT ${rttMs} ms: cold round ${round} of ${extraColdRounds + 1} (fresh remotes and Miniflare)`,
    );
    cold.push(await coldRound(rttMs));
  }
  const remotes = await startRemotes(rttMs);
  const local = await startLocal(remotes);
  const caller = new Caller(local.urlFor);
  let localClosed = false;
  const closeLocal = async () => {
    if (localClosed) return;
    localClosed = true;
    await caller.close();
    await local.dispose();
  };
  try {
    log(`RTT ${rttMs} ms (measured ${measuredRttMs} ms): first calls`);
    cold.push(await firstCalls(caller));

    log(`RTT ${rttMs} ms: ${options.samples} sequential calls per scenario and path`);
    const perPath = <T>() =>
      Object.fromEntries(
        SCENARIOS.map(({ id, paths }) => [
          id,
          Object.fromEntries(paths.map((p) => [p, [] as T[]])),
        ]),
      ) as unknown as Record<ScenarioId, Partial<Record<CallPath, T[]>>>;
    const times = perPath<number>();
    const sequentialFailures = perPath<string>();
    for (let i = 0; i < options.samples; i++) {
      for (const path of ["rpc", "http", "chain", "d1"] as const) {
        for (const scenario of SCENARIOS) {
          if (!(scenario.paths as readonly CallPath[]).includes(path)) continue;
          try {
            times[scenario.id][path]!.push(await caller.call(path, bindingFor(scenario, path)));
          } catch (error) {
            sequentialFailures[scenario.id][path]!.push((error as Error).message.split("\n")[0]);
          }
        }
      }
    }

    log(`RTT ${rttMs} ms: calls/s at concurrency ${options.concurrencies.join(", ")}`);
    const scenarios = {} as RttResult["scenarios"];
    for (const scenario of SCENARIOS) {
      const result: Partial<Record<CallPath, PathResult>> = {};
      for (const path of scenario.paths) {
        const callsPerSecond: Record<string, number> = {};
        let failedCalls = sequentialFailures[scenario.id][path]!.length;
        let firstError: string | undefined = sequentialFailures[scenario.id][path]![0];
        if (THROUGHPUT_PATHS.has(path)) {
          for (const concurrency of options.concurrencies) {
            const measured = await throughput(
              caller,
              path,
              bindingFor(scenario, path),
              concurrency,
              options.throughputMs,
            );
            callsPerSecond[concurrency] = measured.callsPerSecond;
            failedCalls += measured.failed;
            firstError ??= measured.firstError;
          }
        }
        result[path] = {
          ...percentiles(times[scenario.id][path]!),
          ...firstCallsOf(cold, scenario.id, path),
          ...(THROUGHPUT_PATHS.has(path) ? { callsPerSecond } : {}),
          failedCalls,
          ...(firstError === undefined ? {} : { firstError }),
        };
      }
      scenarios[scenario.id] = result;
    }

    log(`RTT ${rttMs} ms: ${options.resourceCalls} calls per scenario, then sockets and RSS`);
    const usage = async (id: ScenarioId, binding: string): Promise<Usage> => {
      const localUsage = processUsage(local.pidsFor(binding));
      const remoteUsage = id === "floor" ? undefined : processUsage(remotes[id].pids);
      return {
        ...(localUsage === undefined ? {} : { local: localUsage }),
        ...(remoteUsage === undefined ? {} : { remote: remoteUsage }),
        ...(id === "floor"
          ? {}
          : { networkConnections: await remotes[id].proxy.openConnections() }),
      };
    };
    const resources = {} as RttResult["resources"];
    for (const { id, binding } of SCENARIOS) {
      const before = await usage(id, binding);
      const calls = await callMany(caller, binding, options.resourceCalls, 32);
      // Let sockets that are closing finish closing.
      await new Promise((resolve) => setTimeout(resolve, 500));
      resources[id] = { calls, before, after: await usage(id, binding) };
    }
    await closeLocal();
    // workerd is gone, so must be every connection it had open: the RPC sessions included.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const openAfterDispose = {} as RttResult["openAfterDispose"];
    for (const id of ["plain", "token", "access", "hop"] as const) {
      openAfterDispose[id] = await remotes[id].proxy.openConnections();
    }
    let largeBodies: LargeBodyResult[] | undefined;
    if (rttMs === 0) {
      log(`RTT ${rttMs} ms: peak RSS of the local workerd while large bodies pass`);
      largeBodies = await measureLargeBodies(
        remotes,
        options.largeBodyBytes,
        options.largeBodyRounds,
      );
    }
    return {
      rttMs,
      measuredRttMs,
      scenarios,
      resources,
      openAfterDispose,
      ...(largeBodies === undefined ? {} : { largeBodies }),
    };
  } finally {
    await closeLocal();
    await remotes.close();
  }
}

function firstCallsOf(
  cold: FirstCalls[],
  id: ScenarioId,
  path: CallPath,
): Pick<PathResult, "firstCallMs" | "firstCallSamplesMs"> {
  const samples = cold.map((first) => first[id][path]!);
  return {
    firstCallMs: round(median(samples)),
    firstCallSamplesMs: samples.map((ms) => round(ms)),
  };
}

function ratiosOf(run: RttResult, emulatorCost: EmulatorCost): Ratios[] {
  return PATHS.map((path) => {
    const p50 = (id: ScenarioId) => run.scenarios[id][path]!.p50;
    const ratios: Ratios = {
      rttMs: run.rttMs,
      path,
      clientAuthCost: round(p50("token") / p50("plain"), 3),
      authOverhead: round(p50("access") / p50("plain"), 3),
      hopCost: round(p50("hop") / p50("access"), 3),
    };
    if (path === "http") {
      ratios.authOverheadNetOfEmulator = round(
        (p50("access") - emulatorCost.perRequestMs) / p50("plain"),
        3,
      );
    }
    if (run.measuredRttMs > 0) {
      const trips = (id: ScenarioId) => round((p50(id) - p50("floor")) / run.measuredRttMs);
      ratios.roundTripsPerCall = {
        plain: trips("plain"),
        access: trips("access"),
        hop: trips("hop"),
      };
    }
    return ratios;
  });
}

function extraRatiosOf(run: RttResult): ExtraRatios | undefined {
  if (run.measuredRttMs <= 0) return undefined;
  const trips = (id: ScenarioId, path: CallPath) =>
    round((run.scenarios[id][path]!.p50 - run.scenarios.floor[path]!.p50) / run.measuredRttMs);
  const ids = ["plain", "access", "hop"] as const;
  return {
    rttMs: run.rttMs,
    chainRoundTrips: Object.fromEntries(ids.map((id) => [id, trips(id, "chain")])),
    twoCallRoundTrips: Object.fromEntries(ids.map((id) => [id, round(2 * trips(id, "rpc"))])),
    d1RoundTrips: trips("plain", "d1"),
  };
}

export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  options.log?.("the emulator's own cost per gated request");
  const remotes = await startRemotes(0);
  const emulatorCost = await measureEmulatorCost(remotes, options.samples).finally(() =>
    remotes.close(),
  );
  const runs: RttResult[] = [];
  for (const rtt of options.rtts) runs.push(await runAtRtt(rtt, options));
  const recorded: Omit<BenchOptions, "log"> = {
    rtts: options.rtts,
    samples: options.samples,
    throughputMs: options.throughputMs,
    concurrencies: options.concurrencies,
    resourceCalls: options.resourceCalls,
    largeBodyBytes: options.largeBodyBytes,
    largeBodyRounds: options.largeBodyRounds,
    coldRounds: options.coldRounds,
  };
  const { availableParallelism } = await import("node:os");
  return {
    options: recorded,
    startedAt,
    durationSeconds: Math.round((performance.now() - started) / 1000),
    node: process.version,
    cpus: availableParallelism(),
    emulatorCost,
    runs,
    ratios: runs.flatMap((run) => ratiosOf(run, emulatorCost)),
    extraRatios: runs.flatMap((run) => extraRatiosOf(run) ?? []),
  };
}
