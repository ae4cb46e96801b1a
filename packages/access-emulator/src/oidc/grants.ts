import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { OidcScope } from "./oidc-options.js";

/** Who signed in, as the id_token and userinfo describe them. */
export interface OidcUser {
  email: string;
  sub: string;
  /** When they signed in (seconds): refreshed id_tokens keep it (OIDC Core §12.2). */
  authTime: number;
}

/** One sign-in's grant: the code, and every token descended from it, share its id. */
export interface Grant {
  grantId: string;
  clientId: string;
  scope: OidcScope[];
  user: OidcUser;
}

export interface CodeGrant extends Grant {
  redirectUri: string;
  nonce?: string;
  codeChallenge?: string;
}

interface Expiring {
  expiresAt: number;
}

export interface IssuedTokens {
  accessToken: string;
  expiresIn: number;
  refreshToken?: string;
}

// RFC 6749 §4.1.2: a code lives briefly; ten minutes is the most the RFC recommends.
const CODE_SECONDS = 300;

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const opaque = (): string => randomBytes(32).toString("base64url");
// Only hashes are kept: the maps say nothing a test could leak.
const keyOf = (token: string): string => createHash("sha256").update(token).digest("base64url");

/**
 * Codes, access tokens and refresh tokens of the OIDC application, all opaque. Codes are single
 * use: redeeming one twice revokes what the first redemption issued (RFC 6749 §4.1.2). Refresh
 * tokens rotate: the old one stops working, and presenting it again revokes the grant
 * (OAuth 2.1 §4.3.1, RFC 9700 §4.14.2).
 */
export class OidcGrants {
  private readonly codes = new Map<string, CodeGrant & Expiring & { redeemed: boolean }>();
  private readonly accessTokens = new Map<string, Grant & Expiring>();
  private readonly refreshTokens = new Map<string, Grant & Expiring & { used: boolean }>();

  issueCode(grant: Omit<CodeGrant, "grantId">): string {
    const code = opaque();
    this.codes.set(keyOf(code), {
      ...grant,
      grantId: randomUUID(),
      expiresAt: nowSeconds() + CODE_SECONDS,
      redeemed: false,
    });
    return code;
  }

  /** Redeems a code once. A second redemption revokes the tokens the first one issued. */
  redeemCode(code: string): CodeGrant | "unknown" | "expired" | "redeemed" {
    const stored = this.codes.get(keyOf(code));
    if (stored === undefined) return "unknown";
    if (stored.redeemed) {
      this.revokeGrant(stored.grantId);
      return "redeemed";
    }
    stored.redeemed = true;
    if (stored.expiresAt <= nowSeconds()) return "expired";
    return stored;
  }

  /**
   * An access token (for `accessScope`, default the grant's) and, when refresh tokens are on, a
   * refresh token for the whole grant: RFC 6749 §6 keeps a refresh token's scope unchanged.
   */
  issueTokens(
    grant: Grant,
    accessSeconds: number,
    refreshSeconds: number | null,
    accessScope: OidcScope[] = grant.scope,
  ): IssuedTokens {
    const now = nowSeconds();
    const accessToken = opaque();
    this.accessTokens.set(keyOf(accessToken), {
      ...grant,
      scope: accessScope,
      expiresAt: now + accessSeconds,
    });
    if (refreshSeconds === null) return { accessToken, expiresIn: accessSeconds };
    const refreshToken = opaque();
    this.refreshTokens.set(keyOf(refreshToken), {
      ...grant,
      expiresAt: now + refreshSeconds,
      used: false,
    });
    return { accessToken, expiresIn: accessSeconds, refreshToken };
  }

  /**
   * Uses a refresh token up; presenting a used one again revokes its whole grant. A request for
   * scopes the grant does not hold is refused before the token is used, so the client keeps it.
   */
  redeemRefreshToken(
    token: string,
    scope: readonly OidcScope[] | undefined,
  ): Grant | "unknown" | "expired" | "reused" | "scope_exceeded" {
    const stored = this.refreshTokens.get(keyOf(token));
    if (stored === undefined) return "unknown";
    if (stored.used) {
      this.revokeGrant(stored.grantId);
      return "reused";
    }
    if (stored.expiresAt <= nowSeconds()) {
      stored.used = true;
      return "expired";
    }
    if (scope !== undefined && scope.some((item) => !stored.scope.includes(item))) {
      return "scope_exceeded";
    }
    stored.used = true;
    return stored;
  }

  findAccessToken(token: string): Grant | "unknown" | "expired" {
    const stored = this.accessTokens.get(keyOf(token));
    if (stored === undefined) return "unknown";
    return stored.expiresAt <= nowSeconds() ? "expired" : stored;
  }

  /** Ends everything a user holds: codes not yet redeemed, access and refresh tokens. */
  revokeUser(email: string): void {
    const normalized = email.trim().toLowerCase();
    for (const store of [this.codes, this.accessTokens, this.refreshTokens]) {
      for (const [key, grant] of store) if (grant.user.email === normalized) store.delete(key);
    }
  }

  /** Every access token issued so far expires now; refresh tokens keep working. */
  expireAccessTokens(): void {
    const past = nowSeconds() - 1;
    for (const token of this.accessTokens.values()) token.expiresAt = past;
  }

  private revokeGrant(grantId: string): void {
    for (const store of [this.accessTokens, this.refreshTokens]) {
      for (const [key, grant] of store) if (grant.grantId === grantId) store.delete(key);
    }
  }
}
