import type { AuthSession } from "./auth-session.js";

export interface RelayEnv {
  AUTH_SESSION: DurableObjectNamespace<AuthSession>;
  /** Where the browser lands after a successful callback (a page of yours; the relay has none). */
  CONSENT_GRANTED_URL?: string;
  /** Where the browser lands after `error=…` (denial or any other authorization error). */
  CONSENT_DENIED_URL?: string;
  /** Overrides RELAY_SESSION_TTL_SECONDS; the CLI must then be given the same number. */
  SESSION_TTL_SECONDS?: string;
}
