// How the command line tells an error the person at the terminal can act on from a bug: by its
// code, never its class name (every package's errors are AccessBridgeErrors, and one that crossed
// workerd or a process keeps its code at the head of its message). Such an error is printed as
// its detail, which says what happened, why and what to do and names no secret, without a stack.
import { errorCode, errorDetail } from "@access-bridge/conventions";
import { CliError } from "./cli-error.js";

/**
 * Prints a known error and returns the exit code it calls for (a usage error's 2, else 1);
 * rethrows anything without a code, which bin.ts reports with its stack as a bug.
 */
export function reportKnownError(
  error: unknown,
  write: (text: string) => void = (text) => process.stderr.write(text),
): number {
  if (errorCode(error) === undefined) throw error;
  write(`✘ ${errorDetail(error)}\n`);
  return error instanceof CliError ? error.exitCode : 1;
}
