// Generators of hostile input for the emulator: header values in every byte a client can send,
// JWT-shaped garbage, cookie headers, service-token pairs and OAuth parameter sets.
import fc from "fast-check";

const b64url = (text: string): string => Buffer.from(text).toString("base64url");

/** What an HTTP client can put in a header value: visible ASCII, tab, and Latin-1 bytes. */
const headerChar = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constant("\t") },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)) },
);

export const headerValue = (maxLength = 300): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.string({ unit: headerChar, maxLength }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom("", " ", "null", "undefined", "%00", "%", "\\", "=", ";"),
    },
    // Huge: well past any sane token, short of what workerd itself refuses with 431.
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 40_000 }).map((n) => "A".repeat(n)) },
  );

/** A JWT header or payload: plausible claims with wrong types, or any JSON, or not JSON. */
function jwtPart(knownKid: string, aud: string, iss: string): fc.Arbitrary<string> {
  const header = fc.record(
    {
      alg: fc.oneof(
        fc.constantFrom("none", "None", "HS256", "RS256", "ES256", "PS256", "RS512", ""),
        fc.string(),
      ),
      kid: fc.oneof(fc.constant(knownKid), fc.string(), fc.integer(), fc.constant(null)),
      typ: fc.constantFrom("JWT", "at+jwt", 1),
      crit: fc.array(fc.string(), { maxLength: 2 }),
      jwk: fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
    },
    { requiredKeys: [] },
  );
  const claim = <T>(good: T) =>
    fc.oneof(
      fc.constant(good),
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.array(fc.string(), { maxLength: 2 }),
      fc.constant(null),
    );
  const payload = fc.record(
    {
      aud: fc.oneof(fc.constant([aud]), claim(aud)),
      iss: claim(iss),
      exp: claim(Math.floor(Date.now() / 1000) + 3600),
      nbf: claim(0),
      iat: claim(0),
      type: claim("app"),
      email: fc.oneof(fc.emailAddress(), claim("a@example.com")),
      common_name: claim("x.access"),
      sub: claim(""),
    },
    { requiredKeys: [] },
  );
  return fc.oneof(
    header.map((value) => b64url(JSON.stringify(value))),
    payload.map((value) => b64url(JSON.stringify(value))),
    fc.jsonValue().map((value) => b64url(JSON.stringify(value) ?? "")),
    fc.string().map(b64url),
    fc.string({ unit: headerChar, maxLength: 60 }),
    fc.base64String({ maxLength: 80 }),
  );
}

/** Strings shaped like JWTs (dot-separated segments) that are not valid tokens for the app. */
export function jwtShaped(knownKid: string, aud: string, iss: string): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .array(jwtPart(knownKid, aud, iss), { minLength: 3, maxLength: 3 })
        .map((parts) => parts.join(".")),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(jwtPart(knownKid, aud, iss), { minLength: 1, maxLength: 6 })
        .map((parts) => parts.join(".")),
    },
    { weight: 1, arbitrary: headerValue() },
  );
}

/** A Cookie header: CF_Authorization among other cookies, repeated, empty or mangled. */
export function cookieHeader(token: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const cookie = fc.oneof(
    token.map((value) => `CF_Authorization=${value}`),
    token.map((value) => ` CF_Authorization = ${value} `),
    fc.constant("CF_Authorization="),
    fc.constant("CF_Authorization"),
    fc
      .tuple(
        fc.string({ unit: headerChar, maxLength: 20 }),
        fc.string({ unit: headerChar, maxLength: 40 }),
      )
      .map(([name, value]) => `${name}=${value}`),
    headerValue(80),
  );
  return fc
    .tuple(fc.array(cookie, { minLength: 1, maxLength: 4 }), fc.constantFrom("; ", ";", ","))
    .map(([parts, separator]) => parts.join(separator));
}

export const methods = fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD");

/** A path segment with odd encodings: percent-escapes (valid or not), dots, slashes, Unicode. */
export const pathSegment = fc.oneof(
  fc.webSegment(),
  fc.constantFrom("..", ".", "%2e%2e", "%2F", "%", "%E0%A4%A", "%00", "%ZZ", "~", "@", ";x=1"),
  fc.string({ maxLength: 12 }).map((text) => encodeURIComponent(text)),
);

/** Request parameters: known OAuth names with good, garbage or repeated values, plus strangers. */
export function oauthParameters(
  names: readonly string[],
  goodValues: Record<string, readonly string[]>,
): fc.Arbitrary<[string, string][]> {
  const value = (name: string): fc.Arbitrary<string> =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...(goodValues[name] ?? ["x"])) },
      { weight: 2, arbitrary: fc.string({ maxLength: 60 }) },
      { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
      { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((n) => "s".repeat(n)) },
    );
  const known = fc
    .constantFrom(...names)
    .chain((name) => value(name).map((v): [string, string] => [name, v]));
  const stranger = fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 20 }));
  return fc.array(fc.oneof({ weight: 5, arbitrary: known }, { weight: 1, arbitrary: stranger }), {
    maxLength: 12,
  });
}
