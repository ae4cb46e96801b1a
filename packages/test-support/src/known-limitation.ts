// A test of behaviour we want but do not have yet. vitest's `it.fails` passes on any error, so a
// broken setup (a port in use, a missing build) would pass it too; this one passes only while the
// check fails for the reason the limitation gives.
import { it } from "vitest";

/**
 * `check` is the test as it should pass one day. The test passes while `check` fails with an
 * error whose message (or, for an assertion, the value it received, as JSON) matches `reason`;
 * it fails on any other error, and once `check` passes (then make it a plain `it`).
 */
export function itFailsBecause(
  name: string,
  reason: RegExp,
  check: () => Promise<void> | void,
  timeout?: number,
): void {
  it(
    name,
    async () => {
      try {
        await check();
      } catch (error) {
        if (reason.test(failureText(error))) return;
        throw error;
      }
      throw new Error(
        `The known limitation is gone: "${name}" passes now. Make it a plain it() and update the comment that explains the limitation.`,
      );
    },
    timeout,
  );
}

function failureText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const received = (error as { actual?: unknown }).actual;
  return received === undefined ? error.message : `${error.message}\n${JSON.stringify(received)}`;
}
