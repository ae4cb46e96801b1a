import { createPublicKey, X509Certificate } from "node:crypto";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { describe, expect, it } from "vitest";
import { expectBlockPage, useAccessEmulator } from "./emulator-fixture.js";

interface CertsDocument extends JSONWebKeySet {
  public_cert: { kid: string; cert: string };
  public_certs: { kid: string; cert: string }[];
}

async function fetchCerts(url: string): Promise<CertsDocument> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return (await response.json()) as CertsDocument;
}

describe("GET /cdn-cgi/access/certs", () => {
  it("publishes two RS256 keys, as JWKs and as matching PEM certificates", async () => {
    const access = await useAccessEmulator({ type: "service_auth_only" });
    const certs = await fetchCerts(access.certsUrl);

    expect(certs.keys).toHaveLength(2);
    for (const key of certs.keys) {
      expect(key).toEqual({
        kid: expect.stringMatching(/^[0-9a-f]{64}$/),
        kty: "RSA",
        alg: "RS256",
        use: "sig",
        e: "AQAB",
        n: expect.any(String),
      });
    }
    expect(certs.public_certs.map((cert) => cert.kid)).toEqual(certs.keys.map((key) => key.kid));
    expect(certs.public_cert).toEqual(certs.public_certs[0]);
    for (const { kid, cert } of certs.public_certs) {
      const fromCert = new X509Certificate(cert).publicKey.export({ format: "jwk" });
      const jwk = certs.keys.find((key) => key.kid === kid)!;
      expect(
        createPublicKey({ key: jwk as never, format: "jwk" }).export({ format: "jwk" }),
      ).toEqual(fromCert);
    }
  });

  it("after rotateKeys(), tokens signed by the previous key still verify; two rotations retire it", async () => {
    const access = await useAccessEmulator({ type: "self_hosted" });
    const before = await fetchCerts(access.certsUrl);
    const jwt = await access.issueUserToken("dev@example.com");

    await access.rotateKeys();
    const after = await fetchCerts(access.certsUrl);
    expect(after.keys).toHaveLength(2);
    expect(after.keys[1]!.kid).toBe(before.keys[0]!.kid);
    expect(after.keys[0]!.kid).not.toBe(before.keys[0]!.kid);
    await expect(
      jwtVerify(jwt, createLocalJWKSet(after), { issuer: access.teamDomain, audience: access.aud }),
    ).resolves.toBeDefined();
    expect((await fetch(access.url, { headers: { "cf-access-token": jwt } })).status).toBe(200);
    const fresh = await access.issueUserToken("dev@example.com");
    expect(JSON.parse(Buffer.from(fresh.split(".")[0]!, "base64url").toString()).kid).toBe(
      after.keys[0]!.kid,
    );

    await access.rotateKeys();
    await expectBlockPage(
      await fetch(access.url, { headers: { "cf-access-token": jwt } }),
      "token_unknown_key",
    );
    expect((await fetch(access.url, { headers: { "cf-access-token": fresh } })).status).toBe(200);
  });

  it("re-signs a service token's assertion with the new key after a rotation", async () => {
    const access = await useAccessEmulator({ type: "service_auth_only" });
    const token = access.createServiceToken();
    const headers = {
      "CF-Access-Client-Id": token.clientId,
      "CF-Access-Client-Secret": token.clientSecret,
    };
    const kidOf = async () => {
      const echoed = (await (await fetch(access.url, { headers })).json()) as {
        headers: Record<string, string>;
      };
      const assertion = echoed.headers["cf-access-jwt-assertion"]!;
      return JSON.parse(Buffer.from(assertion.split(".")[0]!, "base64url").toString())
        .kid as string;
    };
    const first = await kidOf();
    expect(await kidOf()).toBe(first);
    await access.rotateKeys();
    expect(await kidOf()).not.toBe(first);
  });
});
