import fc from "fast-check";

/** Every character a request target may carry unescaped (Node refuses the rest). */
const TARGET_CHARS = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) =>
  String.fromCharCode(0x21 + i),
);
const PATH_CHARS = TARGET_CHARS.filter((char) => char !== "?" && char !== "#");
const QUERY_CHARS = TARGET_CHARS.filter((char) => char !== "#" && char !== "&" && char !== "=");

/** A state the relay and the CLI accept: 32–128 of `[A-Za-z0-9._~-]`. */
export const validState = fc.string({
  unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-"),
  minLength: 32,
  maxLength: 128,
});

/** Bytes percent-encoded, including ones that are not UTF-8 (`%ff`) and NUL. */
const percentBytes = fc
  .uint8Array({ maxLength: 12 })
  .map((bytes) => [...bytes].map((byte) => `%${byte.toString(16).padStart(2, "0")}`).join(""));

/** Any text (lone surrogates included) as UTF-8, percent-encoded byte by byte. */
const encodedText = fc
  .string({ unit: "binary", maxLength: 40 })
  .map((text) =>
    [...Buffer.from(text, "utf8")].map((byte) => `%${byte.toString(16).padStart(2, "0")}`).join(""),
  );

const junk = fc.constantFrom("", "%", "%zz", "%2", "%00", "%ff%fe", "%2e%2e", "%2F", "..", ".");

const pathSegment = fc.oneof(
  fc.constantFrom("session", "callback", "Callback", "session%2F", "callback%3F", ""),
  validState,
  fc.string({ unit: fc.constantFrom(...PATH_CHARS), maxLength: 40 }),
  percentBytes,
  encodedText,
  junk,
);

export const requestPath = fc
  .array(pathSegment, { minLength: 1, maxLength: 4 })
  .map((segments) => `/${segments.join("/")}`);

const queryName = fc.oneof(
  fc.constantFrom("state", "code", "error", "error_description", "iss", "STATE", "code[]"),
  fc.string({ unit: fc.constantFrom(...QUERY_CHARS), maxLength: 12 }),
);

/** A query value; `extra` adds values a test wants to appear (its own state, say). */
export const queryValue = (...extra: fc.Arbitrary<string>[]) =>
  fc.oneof(
    validState,
    fc.string({ unit: fc.constantFrom(...QUERY_CHARS), maxLength: 60 }),
    encodedText,
    percentBytes,
    junk,
    ...extra,
  );

export const queryString = (...extra: fc.Arbitrary<string>[]) =>
  fc.oneof(
    fc
      .array(fc.tuple(queryName, queryValue(...extra)), { maxLength: 6 })
      .map((pairs) => pairs.map(([name, value]) => `${name}=${value}`).join("&")),
    fc.string({
      unit: fc.constantFrom(...TARGET_CHARS.filter((char) => char !== "#")),
      maxLength: 80,
    }),
  );

/**
 * A request target: origin-form mostly, plus absolute-form and authority-like ones. Not `*`
 * (asterisk-form): Miniflare's own entry worker answers `GET *` with a 500 ("Invalid URL
 * string") before any worker of ours runs, and Cloudflare's edge never routes it to a Worker.
 */
export const requestTarget = (...extra: fc.Arbitrary<string>[]) =>
  fc
    .oneof(
      { weight: 8, arbitrary: fc.tuple(requestPath, fc.option(queryString(...extra))) },
      {
        weight: 1,
        arbitrary: fc.tuple(
          fc.constantFrom("http://[", "http://127.0.0.1", "//evil.example", "http://x:99999"),
          fc.option(queryString(...extra)),
        ),
      },
    )
    .map(([path, query]) => (query === null ? path : `${path}?${query}`));

export const method = fc.constantFrom(
  "GET",
  "GET",
  "GET",
  "POST",
  "PUT",
  "DELETE",
  "HEAD",
  "OPTIONS",
);
