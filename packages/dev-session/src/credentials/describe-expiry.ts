/** "expires at 2026-05-01 12:00 UTC (in 59 minutes)", for login and whoami lines. */
export function describeExpiry(expiresAt: number | undefined, now = Date.now()): string {
  if (expiresAt === undefined) return "has no stated expiry";
  const at = new Date(expiresAt)
    .toISOString()
    .replace("T", " ")
    .replace(/:\d\d\.\d+Z$/, " UTC");
  const minutes = Math.round(Math.abs(expiresAt - now) / 60_000);
  const span =
    minutes < 120
      ? `${minutes} minute${minutes === 1 ? "" : "s"}`
      : minutes < 48 * 60
        ? `${Math.round(minutes / 60)} hours`
        : `${Math.round(minutes / 1440)} days`;
  return expiresAt > now ? `expires at ${at} (in ${span})` : `expired at ${at} (${span} ago)`;
}
