import { AccessEmulatorError } from "./errors.js";

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };
const DURATION = /^(?:\d+[hms])+$/;

/**
 * Parses an Access session duration ("24h", "30m", "1h30m"), the format the Access dashboard
 * and API use for `session_duration`, into seconds.
 */
export function parseDuration(value: string, optionPath: string): number {
  if (!DURATION.test(value)) {
    throw new AccessEmulatorError(
      "ERR_INVALID_OPTION",
      `${optionPath} must be a duration such as "24h", "30m" or "1h30m", got ${JSON.stringify(value)}.`,
    );
  }
  let seconds = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+)([hms])/g)) {
    seconds += Number(amount) * UNIT_SECONDS[unit as string]!;
  }
  if (seconds <= 0) {
    throw new AccessEmulatorError(
      "ERR_INVALID_OPTION",
      `${optionPath} must be longer than zero, got ${JSON.stringify(value)}.`,
    );
  }
  return seconds;
}
