// The emulator fuzz suites' budget: a few hundred runs of the shared seed in CI, more one variable
// away (FUZZ_RUNS=10000 npx vitest run --project access-emulator fuzz), read as every fuzz suite
// reads it (@access-bridge/test-support/fuzz).
import { fuzzParameters, fuzzTimeout } from "@access-bridge/test-support/fuzz";

const RUNS = 150;

export const FUZZ_PARAMETERS = fuzzParameters<unknown>(RUNS);

/** vitest's timeout for one property: a base plus a generous bound per run. */
export const FUZZ_TEST_TIMEOUT = fuzzTimeout(RUNS, 200);

/** A request that takes longer than this is a hang: the property fails with its input. */
export const REQUEST_BOUND_MS = 10_000;
