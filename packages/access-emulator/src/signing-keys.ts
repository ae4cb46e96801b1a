import { randomBytes, webcrypto } from "node:crypto";
import { exportJWK, type JWK } from "jose";
import { selfSignedCertificatePem } from "./self-signed-cert.js";

const RSA_PARAMS = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
} as const;

export interface SigningKey {
  kid: string;
  privateKey: webcrypto.CryptoKey;
  publicKey: webcrypto.CryptoKey;
  jwk: JWK;
  certPem: string;
}

/** The shape of `GET /cdn-cgi/access/certs`. */
export interface CertsDocument {
  keys: JWK[];
  public_cert: { kid: string; cert: string };
  public_certs: { kid: string; cert: string }[];
}

async function generateSigningKey(teamDomain: string): Promise<SigningKey> {
  const pair = (await webcrypto.subtle.generateKey(RSA_PARAMS, true, [
    "sign",
    "verify",
  ])) as webcrypto.CryptoKeyPair;
  // Real kids are 64 hex characters, with nothing derivable from the key.
  const kid = randomBytes(32).toString("hex");
  const jwk = { ...(await exportJWK(pair.publicKey)), kid, alg: "RS256", use: "sig" };
  const certPem = await selfSignedCertificatePem(pair, new URL(teamDomain).hostname, 365);
  return { kid, privateKey: pair.privateKey, publicKey: pair.publicKey, jwk, certPem };
}

/**
 * Access publishes two keys and signs with one. On rotation the signing key becomes the
 * previous key, which stays published (so tokens it signed keep verifying) until the next
 * rotation retires it.
 */
export class SigningKeys {
  private constructor(
    private readonly teamDomain: string,
    private currentKey: SigningKey,
    private previousKey: SigningKey,
  ) {}

  static async create(teamDomain: string): Promise<SigningKeys> {
    const [current, previous] = await Promise.all([
      generateSigningKey(teamDomain),
      generateSigningKey(teamDomain),
    ]);
    return new SigningKeys(teamDomain, current, previous);
  }

  get current(): SigningKey {
    return this.currentKey;
  }

  async rotate(): Promise<void> {
    const next = await generateSigningKey(this.teamDomain);
    this.previousKey = this.currentKey;
    this.currentKey = next;
  }

  find(kid: string): SigningKey | undefined {
    return [this.currentKey, this.previousKey].find((key) => key.kid === kid);
  }

  certsDocument(): CertsDocument {
    const published = [this.currentKey, this.previousKey];
    return {
      keys: published.map((key) => key.jwk),
      public_cert: { kid: this.currentKey.kid, cert: this.currentKey.certPem },
      public_certs: published.map((key) => ({ kid: key.kid, cert: key.certPem })),
    };
  }
}
