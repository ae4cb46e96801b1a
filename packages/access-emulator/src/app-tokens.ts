import { createHash, randomBytes } from "node:crypto";
import { decodeProtectedHeader, errors, jwtVerify, SignJWT, type JWTPayload } from "jose";
import type { DecisionReason } from "./authority-protocol.js";
import type { SigningKeys } from "./signing-keys.js";

/** Claims of an Access application token, as Access puts them in Cf-Access-Jwt-Assertion. */
export interface AppTokenClaims extends JWTPayload {
  type: "app";
  aud: string[];
  email?: string;
  common_name?: string;
  identity_nonce?: string;
  country?: string;
}

export interface UserTokenOptions {
  /** When the token expires. Default: now plus the session duration. A past date makes an expired token. */
  expiresAt?: Date;
  /** The `aud` claim. Default: the application's. Set another to test a verifier's audience check. */
  audience?: string;
  /** The `iss` claim. Default: the team domain. */
  issuer?: string;
}

export type VerifyResult =
  { ok: true; claims: AppTokenClaims } | { ok: false; reason: DecisionReason };

interface ServiceAssertion {
  token: string;
  exp: number;
  kid: string;
}

interface ApplicationIdentity {
  teamDomain: string;
  aud: string;
  sessionSeconds: number;
}

// Reissue a cached service assertion once less than this is left, so none expires in flight.
const REISSUE_BEFORE_SECONDS = 60;

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** A stable per-email user id, shaped like the UUID Access uses for `sub`. */
export function userIdFor(email: string): string {
  const hex = createHash("sha256").update(`access-emulator:${email}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function reasonFor(error: unknown): DecisionReason {
  if (error instanceof errors.JWTExpired) return "token_expired";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "token_bad_signature";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "aud") return "token_wrong_audience";
    if (error.claim === "iss") return "token_wrong_issuer";
    if (error.claim === "nbf") return "token_not_yet_valid";
  }
  return "token_malformed";
}

/** Mints and checks application tokens: the CF_Authorization cookie and the assertion. */
export class AppTokens {
  private readonly serviceAssertions = new Map<string, Promise<ServiceAssertion>>();

  constructor(
    private readonly keys: SigningKeys,
    private readonly app: ApplicationIdentity,
  ) {}

  private async sign(claims: AppTokenClaims, exp: number, iat: number): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: this.keys.current.kid, typ: "JWT" })
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.keys.current.privateKey);
  }

  async mintUser(email: string, options: UserTokenOptions = {}): Promise<string> {
    const iat = nowSeconds();
    const exp = options.expiresAt
      ? Math.floor(options.expiresAt.getTime() / 1000)
      : iat + this.app.sessionSeconds;
    const normalized = email.trim().toLowerCase();
    return this.sign(
      {
        type: "app",
        aud: [options.audience ?? this.app.aud],
        iss: options.issuer ?? this.app.teamDomain,
        email: normalized,
        sub: userIdFor(normalized),
        nbf: Math.min(iat, exp - 1),
        identity_nonce: randomBytes(12).toString("base64url"),
        country: "XX",
      },
      exp,
      Math.min(iat, exp - 1),
    );
  }

  /**
   * A service token's assertion, reused while it is fresh: Access does not re-sign per request.
   * Requests that find none (or a stale one) at once share one signature.
   */
  async mintService(clientId: string): Promise<{ token: string; maxAgeSeconds: number }> {
    const held = this.serviceAssertions.get(clientId);
    const cached = await held?.catch(() => undefined);
    if (
      cached !== undefined &&
      cached.kid === this.keys.current.kid &&
      cached.exp - nowSeconds() > REISSUE_BEFORE_SECONDS
    ) {
      return { token: cached.token, maxAgeSeconds: cached.exp - nowSeconds() };
    }
    // Another request may have started a new signature while this one waited: share it.
    let next = this.serviceAssertions.get(clientId);
    if (next === held) {
      next = this.signService(clientId);
      this.serviceAssertions.set(clientId, next);
    }
    const { token, exp } = await next!;
    return { token, maxAgeSeconds: exp - nowSeconds() };
  }

  /**
   * Signs the assertion of a service token that was just created, so that its first request
   * finds it ready rather than waiting for an RSA signature.
   */
  prepareService(clientId: string): Promise<void> {
    return this.mintService(clientId).then(() => {});
  }

  private async signService(clientId: string): Promise<ServiceAssertion> {
    const kid = this.keys.current.kid;
    const now = nowSeconds();
    const exp = now + this.app.sessionSeconds;
    const token = await this.sign(
      {
        type: "app",
        aud: [this.app.aud],
        iss: this.app.teamDomain,
        common_name: clientId,
        sub: "",
      },
      exp,
      now,
    );
    return { token, exp, kid };
  }

  /**
   * Signs and verifies a throwaway token with the current key, so that the first request's
   * signature does not pay for the first use of the key (warm-up.ts).
   */
  async warmUp(): Promise<void> {
    const now = nowSeconds();
    const token = await this.sign(
      { type: "app", aud: [this.app.aud], iss: this.app.teamDomain, sub: "" },
      now + REISSUE_BEFORE_SECONDS,
      now,
    );
    await this.verify(token);
  }

  async verify(token: string): Promise<VerifyResult> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return { ok: false, reason: "token_malformed" };
    }
    // Access signs with RS256 only: `none`, HS256 with the public key and the like are malformed.
    if (header.alg !== "RS256") return { ok: false, reason: "token_malformed" };
    const key = typeof header.kid === "string" ? this.keys.find(header.kid) : undefined;
    if (key === undefined) return { ok: false, reason: "token_unknown_key" };
    try {
      const { payload } = await jwtVerify<AppTokenClaims>(token, key.publicKey, {
        algorithms: ["RS256"],
        issuer: this.app.teamDomain,
        audience: this.app.aud,
      });
      if (payload.type !== "app") return { ok: false, reason: "token_malformed" };
      return { ok: true, claims: payload };
    } catch (error) {
      return { ok: false, reason: reasonFor(error) };
    }
  }
}
