import type { Parameters } from "fast-check";

/**
 * One fixed seed and a small budget by default, so CI runs the same cases every time; a failure
 * prints the seed and path to replay it. `FUZZ_RUNS=10000` (and `FUZZ_SEED=<n>` for other
 * cases) runs longer.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20260801);
const RUNS = process.env.FUZZ_RUNS === undefined ? undefined : Number(process.env.FUZZ_RUNS);

if ((RUNS !== undefined && !(Number.isInteger(RUNS) && RUNS >= 1)) || !Number.isInteger(SEED)) {
  throw new Error(
    `FUZZ_RUNS must be a positive integer and FUZZ_SEED an integer, got ${JSON.stringify({ runs: process.env.FUZZ_RUNS, seed: process.env.FUZZ_SEED })}.`,
  );
}

/** fast-check parameters for a property; `runs` is its default budget. */
export function fuzzParameters<T>(runs: number): Parameters<T> {
  // Each run is bounded: a predicate still running after 10 s fails as a hang.
  return { seed: SEED, numRuns: RUNS ?? runs, timeout: 10_000, endOnFailure: true };
}

/** A vitest timeout that grows with the budget: `msPerRun` for each run, plus start-up. */
export function fuzzTimeout(runs: number, msPerRun: number): number {
  return 30_000 + (RUNS ?? runs) * msPerRun;
}
