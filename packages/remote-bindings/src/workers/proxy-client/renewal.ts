// When a bearer token is renewed: before it expires, so that a call never goes out with a token
// about to be refused. Pure, with the clock passed in, so that it is tested without waiting.

export interface BearerLease {
  token: string;
  /** Epoch ms, when the token source said. */
  expiresAt?: number;
  /** When this isolate got it. */
  obtainedAt: number;
}

/** Ask for a new token this long before expiry (half the lifetime, for shorter-lived tokens). */
export const RENEW_BEFORE_MS = 60_000;
/** With no expiry known, ask again after this long. */
export const UNKNOWN_EXPIRY_REASK_MS = 60_000;

/** Whether a new token should be asked for instead of this one, at `now` (epoch ms). */
export function renewalDue(lease: BearerLease, now: number): boolean {
  if (lease.expiresAt === undefined) return now - lease.obtainedAt >= UNKNOWN_EXPIRY_REASK_MS;
  const margin = Math.min(RENEW_BEFORE_MS, (lease.expiresAt - lease.obtainedAt) / 2);
  return now >= lease.expiresAt - margin;
}
