import type { CredentialKind, DecisionReason } from "./authority-protocol.js";

/** One request Access let through or blocked, and why. Holds no secret and no query string. */
export interface AccessDecision {
  at: Date;
  method: string;
  /** The path without its query, which may carry codes or tokens. */
  path: string;
  websocket: boolean;
  credential: CredentialKind;
  outcome: "allowed" | "blocked";
  /** The status Access answered with, for a block; an allowed request gets the origin's. */
  status?: 302 | 403;
  reason: DecisionReason;
  /** The email, or a truncated service-token client id. */
  identity?: string;
}
