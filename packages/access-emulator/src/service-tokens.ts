import { clientIdHint, newServiceToken } from "@access-bridge/conventions";
import { createHash, timingSafeEqual } from "node:crypto";
import type { DecisionReason } from "./authority-protocol.js";
import { AccessEmulatorError } from "./errors.js";

export interface ServiceToken {
  /** Sent as `CF-Access-Client-Id`; shaped like Access's: `<32 hex>.access`. */
  clientId: string;
  /** Sent as `CF-Access-Client-Secret`. Shown once, here; the emulator keeps only a hash. */
  clientSecret: string;
}

interface StoredToken {
  secretHash: Buffer;
  revoked: boolean;
}

const sha256 = (value: string): Buffer => createHash("sha256").update(value).digest();

/** Shows a client id the way a log may: the project's one rule (@access-bridge/conventions). */
export const redactClientId = clientIdHint;

export class ServiceTokens {
  private readonly tokens = new Map<string, StoredToken>();

  create(): ServiceToken {
    return this.add(newServiceToken());
  }

  add(token: ServiceToken): ServiceToken {
    this.tokens.set(token.clientId, { secretHash: sha256(token.clientSecret), revoked: false });
    return token;
  }

  revoke(clientId: string): void {
    const token = this.tokens.get(clientId);
    if (token === undefined) {
      throw new AccessEmulatorError(
        "ERR_UNKNOWN_SERVICE_TOKEN",
        `revokeServiceToken(): no service token with client id ${redactClientId(clientId)} was created by this emulator. Pass the clientId that createServiceToken() returned.`,
      );
    }
    token.revoked = true;
  }

  check(clientId: string, clientSecret: string): DecisionReason {
    const token = this.tokens.get(clientId);
    if (token === undefined) return "service_token_unknown";
    // Hashing first gives equal lengths, so the comparison time says nothing about the secret.
    if (!timingSafeEqual(token.secretHash, sha256(clientSecret))) {
      return "service_token_wrong_secret";
    }
    return token.revoked ? "service_token_revoked" : "valid_service_token";
  }

  isActive(clientId: string): boolean {
    const token = this.tokens.get(clientId);
    return token !== undefined && !token.revoked;
  }
}
