// Canary credentials for the test suites. `npm test` (through scripts/test-guards.ts, vitest's
// globalSetup) makes one service token and one user token per run; tests hand them to the code
// under test wherever a credential goes, and at the end of the run every captured output and
// every file the tests wrote is searched for them: one hit fails the run. Credentials a test gets
// elsewhere (minted by the Access emulator, say) are added with watchSecret(). See
// scripts/README.md for how a suite adopts it.
import { appendFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";

export interface CanaryCredentials {
  /** Shaped like Access's: `<32 hex>.access` and 64 hex. */
  serviceToken: { clientId: string; clientSecret: string };
  /** Shaped like an Access application token (three base64url parts); not a valid one. */
  userToken: string;
}

/** Set by the global setup for every process of the run. */
export const CANARY_ENV = "ACCESS_BRIDGE_TEST_CANARY";
/** Where the run keeps what the final check reads (watched secrets, captured text). */
export const RUN_DIR_ENV = "ACCESS_BRIDGE_TEST_RUN_DIR";

export function makeCanaryCredentials(): CanaryCredentials {
  const part = (bytes: number) => randomBytes(bytes).toString("base64url");
  return {
    serviceToken: {
      clientId: `${randomBytes(16).toString("hex")}.access`,
      clientSecret: randomBytes(32).toString("hex"),
    },
    userToken: `${part(24)}.${part(96)}.${part(64)}`,
  };
}

let outsideRun: CanaryCredentials | undefined;

/** This run's canary credentials (fresh ones per process when run outside `npm test`). */
export function canaryCredentials(): CanaryCredentials {
  const text = process.env[CANARY_ENV];
  if (text !== undefined) return JSON.parse(text) as CanaryCredentials;
  return (outsideRun ??= makeCanaryCredentials());
}

/** The values that must never show: every secret part of the canary, whole. */
export function canaryValues(canary: CanaryCredentials): string[] {
  return [canary.serviceToken.clientId, canary.serviceToken.clientSecret, canary.userToken];
}

/**
 * Adds values the final check searches for too: a credential the test got from somewhere else
 * (an emulator's token). Values shorter than 16 characters are refused: they would match by
 * chance.
 */
export function watchSecret(...values: string[]): void {
  const dir = process.env[RUN_DIR_ENV];
  for (const value of values) {
    if (value.length < 16)
      throw new Error("watchSecret(): a value to watch has 16 characters or more.");
  }
  if (dir === undefined) return;
  appendFileSync(
    path.join(dir, `watched-${process.pid}.jsonl`),
    values.map((v) => JSON.stringify(v) + "\n").join(""),
  );
}

/**
 * Adds text the run never prints to the final check: warnings a test collected with an
 * `onWarning` handler, error messages it asserted on.
 */
export function captureForCanaryCheck(label: string, text: string): void {
  const dir = process.env[RUN_DIR_ENV];
  if (dir === undefined || text === "") return;
  appendFileSync(
    path.join(dir, `captured-${process.pid}.jsonl`),
    JSON.stringify({ label, text }) + "\n",
  );
}
