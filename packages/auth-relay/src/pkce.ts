import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * RFC 7636 §4.1: 32 random octets, base64url-encoded, give a 43-character verifier with 256 bits
 * of entropy. It stays in this process: only its S256 challenge leaves (§4.2).
 */
export function createCodeVerifier(): string {
  return randomBytes(32).toString("base64url");
}

/** RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))). */
export function codeChallengeS256(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

/** 32 base64url characters (192 bits): unguessable, and within the relay's state alphabet. */
export function createState(): string {
  return randomBytes(24).toString("base64url");
}

/** The relay's per-login client token (RELAY_CLIENT_TOKEN_PATTERN: 43 characters). */
export function createClientToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * Compares a returned `state` with ours in constant time for equal lengths (RFC 6749 §10.12
 * relies on the value being unguessable, so the comparison must not leak a prefix).
 */
export function statesMatch(expected: string, received: string | undefined): boolean {
  if (received === undefined) return false;
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(received, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
