import { webcrypto } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

const COMMON_NAME_OID = "2.5.4.3";
type EngineCrypto = ConstructorParameters<typeof pkijs.CryptoEngine>[0]["crypto"];
const engine = new pkijs.CryptoEngine({
  name: "node",
  crypto: webcrypto as unknown as EngineCrypto,
});

/**
 * Access publishes each signing key twice: as a JWK and as a PEM certificate (`public_cert`,
 * `public_certs`), which older verifiers read. This makes that certificate for a key pair.
 */
export async function selfSignedCertificatePem(
  keys: webcrypto.CryptoKeyPair,
  commonName: string,
  validDays: number,
): Promise<string> {
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = new asn1js.Integer({ value: Date.now() % 2 ** 31 });
  const name = new pkijs.AttributeTypeAndValue({
    type: COMMON_NAME_OID,
    value: new asn1js.Utf8String({ value: commonName }),
  });
  certificate.issuer.typesAndValues.push(name);
  certificate.subject.typesAndValues.push(name);
  const now = Date.now();
  certificate.notBefore.value = new Date(now - 60_000);
  certificate.notAfter.value = new Date(now + validDays * 86_400_000);
  await certificate.subjectPublicKeyInfo.importKey(keys.publicKey, engine);
  await certificate.sign(keys.privateKey, "SHA-256", engine);
  const der = Buffer.from(certificate.toSchema().toBER(false));
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}
