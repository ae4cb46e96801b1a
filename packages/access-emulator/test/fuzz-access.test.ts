// Property: whatever a client sends as Access credentials, or to /cdn-cgi/access/*, the emulator
// answers promptly with a block (403 page or the documented 302) or a 4xx with a plain reason:
// never a 5xx, never the origin.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { DecisionReason } from "../src/index.js";
import { serviceTokenHeaders, useLongLivedEmulator } from "./emulator-fixture.js";
import { cookieHeader, headerValue, jwtShaped, methods, pathSegment } from "./fuzz-arbitraries.js";
import { FUZZ_PARAMETERS, FUZZ_TEST_TIMEOUT, REQUEST_BOUND_MS } from "./fuzz-budget.js";
import type { AccessEmulator } from "../src/index.js";

const BLOCK_REASONS: readonly DecisionReason[] = [
  "no_credentials",
  "service_token_incomplete",
  "service_token_unknown",
  "service_token_wrong_secret",
  "service_token_revoked",
  "token_malformed",
  "token_expired",
  "token_not_yet_valid",
  "token_bad_signature",
  "token_unknown_key",
  "token_wrong_audience",
  "token_wrong_issuer",
  "email_not_allowed",
  "service_auth_only",
];

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

async function send(
  access: AccessEmulator,
  sent: Sent,
): Promise<{ response: Response; text: string }> {
  const response = await fetch(`${access.url}${sent.path}`, {
    method: sent.method,
    headers: sent.headers,
    redirect: "manual",
    signal: AbortSignal.timeout(REQUEST_BOUND_MS),
    ...(sent.body === undefined || sent.method === "GET" || sent.method === "HEAD"
      ? {}
      : { body: sent.body }),
  });
  return { response, text: await response.text() };
}

/** workerd itself refuses a request line or header section past its limits, with a reason. */
function isRuntimeLimit(response: Response): boolean {
  return response.status === 414 || response.status === 431;
}

function expectPlainRefusal(sent: Sent, response: Response, text: string): void {
  expect(response.status, JSON.stringify(sent).slice(0, 500)).toBeGreaterThanOrEqual(300);
  expect(response.status).toBeLessThan(500);
  if (response.status === 302) {
    expect(response.headers.get("location")).toEqual(expect.any(String));
  } else if (sent.method !== "HEAD") {
    expect(text.trim()).not.toBe("");
  }
}

let selfHosted: AccessEmulator;
let serviceOnly: AccessEmulator;
let knownKid: string;

describe("hostile credentials at the gate", () => {
  beforeAll(async () => {
    // One emulator per property for the whole run: disposed by the fixture's afterAll.
    [selfHosted, serviceOnly] = await Promise.all([
      useLongLivedEmulator({ type: "self_hosted", allowedEmailDomains: ["example.com"] }),
      useLongLivedEmulator({ type: "service_auth_only" }),
    ]);
    const certs = (await (await fetch(selfHosted.certsUrl)).json()) as { keys: { kid: string }[] };
    knownKid = certs.keys[0]!.kid;
  });

  it(
    "never lets garbage through: every answer is a 403 block page or the login 302, never a 5xx",
    async () => {
      // Long queries too: the login redirect carries the path back, and must stay readable.
      const query = fc.oneof(
        { weight: 4, arbitrary: fc.constant("") },
        { weight: 4, arbitrary: fc.webQueryParameters().map((q) => `?${q}`) },
        {
          weight: 1,
          arbitrary: fc.integer({ min: 2_000, max: 60_000 }).map((n) => `?q=${"x".repeat(n)}`),
        },
      );
      const access = (type: "self" | "service") => (type === "self" ? selfHosted : serviceOnly);
      const token = jwtShaped(knownKid, selfHosted.aud, selfHosted.teamDomain);
      const credentialHeaders = fc.record(
        {
          cookie: cookieHeader(token),
          "cf-access-token": fc.oneof(token, headerValue()),
          "cf-access-client-id": headerValue(),
          "cf-access-client-secret": headerValue(),
          authorization: fc.oneof(
            token.map((value) => `Bearer ${value}`),
            headerValue(),
          ),
          "cf-access-jwt-assertion": token,
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom<"self" | "service">("self", "service"),
          methods,
          fc.array(pathSegment, { maxLength: 4 }),
          query,
          fc.oneof(
            { weight: 3, arbitrary: credentialHeaders },
            { weight: 1, arbitrary: fc.constant({}) },
          ),
          fc.option(fc.string({ maxLength: 200 }), { nil: undefined }),
          async (type, method, segments, search, headers, body) => {
            const sent: Sent = {
              method,
              path: `/${segments.join("/")}${search}`,
              headers,
              ...(body === undefined ? {} : { body }),
            };
            // Paths under /cdn-cgi/access/ (after dot segments are resolved) are the next property's.
            fc.pre(!new URL(`http://x${sent.path}`).pathname.startsWith("/cdn-cgi/access/"));
            const { response, text } = await send(access(type), sent);
            expectPlainRefusal(sent, response, text);
            if (isRuntimeLimit(response)) return;
            expect([302, 403]).toContain(response.status);
            const reason = response.headers.get("access-emulator-reason") as DecisionReason;
            expect(BLOCK_REASONS).toContain(reason);
            if (response.status === 403 && method !== "HEAD") {
              expect(text).toContain("<title>Error ・ Cloudflare Access</title>");
            }
          },
        ),
        FUZZ_PARAMETERS,
      );
    },
    FUZZ_TEST_TIMEOUT,
  );

  it(
    "answers /cdn-cgi/access/* with a plain answer for any method, path, credential and body",
    async () => {
      const token = jwtShaped(knownKid, selfHosted.aud, selfHosted.teamDomain);
      const endpoint = fc.oneof(
        fc.constantFrom("certs", "get-identity", "logout", "login", "login/", "authorized", "cli"),
        fc
          .array(pathSegment, { minLength: 1, maxLength: 3 })
          .map((parts) => `login/${parts.join("/")}`),
        fc.array(pathSegment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join("/")),
      );
      const query = fc.oneof(
        fc.constant(""),
        fc.webQueryParameters().map((q) => `?${q}`),
        fc.string({ maxLength: 60 }).map((q) => `?redirect_url=${encodeURIComponent(q)}`),
      );
      const contentType = fc.constantFrom(
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json",
        "text/plain",
        "application/x-www-form-urlencoded; charset=latin1",
      );
      const body = fc.oneof(
        fc
          .tuple(fc.emailAddress(), fc.string({ maxLength: 40 }))
          .map(
            ([email, redirect]) =>
              `email=${encodeURIComponent(email)}&redirect_url=${encodeURIComponent(redirect)}`,
          ),
        fc.string({ maxLength: 200 }),
        fc.string({ unit: "binary", maxLength: 100 }),
        // A return path too long for a Location header a client can read.
        fc
          .integer({ min: 5_000, max: 40_000 })
          .map((n) => `email=dev%40example.com&redirect_url=%2F${"r".repeat(n)}`),
      );
      await fc.assert(
        fc.asyncProperty(
          methods,
          endpoint,
          query,
          fc.record(
            { cookie: cookieHeader(token), "cf-access-token": token, "content-type": contentType },
            { requiredKeys: [] },
          ),
          fc.option(body, { nil: undefined }),
          async (method, path, search, headers, sentBody) => {
            const sent: Sent = {
              method,
              path: `/cdn-cgi/access/${path}${search}`,
              headers,
              ...(sentBody === undefined ? {} : { body: sentBody }),
            };
            const { response, text } = await send(selfHosted, sent);
            expect(response.status, JSON.stringify(sent).slice(0, 500)).toBeLessThan(500);
            if (response.status === 302) {
              // The sign-in page sends people back to a path on this application only; a path
              // whose dot segments climb out of /cdn-cgi/access/ is gated: Access's login.
              const location = response.headers.get("location")!;
              const onThisApplication =
                location.startsWith("/") &&
                !location.startsWith("//") &&
                !location.startsWith("/\\");
              const toAccessLogin = location.startsWith(
                `${selfHosted.teamDomain}/cdn-cgi/access/login/`,
              );
              expect(onThisApplication || toAccessLogin, location).toBe(true);
            } else if (response.status >= 400 && method !== "HEAD") {
              expect(text.trim()).not.toBe("");
            }
          },
        ),
        FUZZ_PARAMETERS,
      );
    },
    FUZZ_TEST_TIMEOUT,
  );

  it("still serves a valid token after the hostile traffic", async () => {
    const token = serviceOnly.createServiceToken();
    const response = await fetch(`${serviceOnly.url}/after`, {
      headers: serviceTokenHeaders(token),
    });
    expect(response.status).toBe(200);
    const user = await selfHosted.issueUserToken("dev@example.com");
    expect(
      (await fetch(`${selfHosted.url}/after`, { headers: { "cf-access-token": user } })).status,
    ).toBe(200);
  });
});
