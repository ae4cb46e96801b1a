// The fuzz suites' run budget: a fixed seed and a few hundred runs in CI, more one variable
// away (FUZZ_RUNS=10000 npx vitest run --project access-emulator fuzz). FUZZ_SEED replays the
// seed fast-check prints with a counterexample.
import type fc from "fast-check";

const runs = Number(process.env.FUZZ_RUNS ?? "150");
const seed = Number(process.env.FUZZ_SEED ?? "20261117");

if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  throw new Error(
    `FUZZ_RUNS must be a positive integer and FUZZ_SEED an integer, got ${JSON.stringify({ runs: process.env.FUZZ_RUNS, seed: process.env.FUZZ_SEED })}.`,
  );
}

export const FUZZ_PARAMETERS: fc.Parameters<unknown> = { numRuns: runs, seed, endOnFailure: true };

/** vitest's timeout for one property: a base plus a generous bound per run. */
export const FUZZ_TEST_TIMEOUT = 30_000 + runs * 200;

/** A request that takes longer than this is a hang: the property fails with its input. */
export const REQUEST_BOUND_MS = 10_000;
