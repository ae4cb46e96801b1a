import type { AuthorizationResponse } from "../authorization-request.js";

/** Where a browser-based transport waits for the authorization response. */
export interface CallbackReceiver {
  /** The redirect_uri registered and sent in the authorization request. */
  redirectUri: string;
  /** Resolves with the first response for this login; rejects on abort or when the relay ends it. */
  waitForResponse(signal: AbortSignal): Promise<AuthorizationResponse>;
  close(): Promise<void>;
}
