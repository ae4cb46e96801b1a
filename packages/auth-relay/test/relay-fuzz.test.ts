// Hostile input for the shipped relay bundle in workerd (issue 13): generated paths, query
// strings, methods and upgrade headers, sent byte for byte. Whatever arrives, the relay answers
// a 4xx with a plain-text reason (or 307 / 101 for what is really a callback / session), never
// a 5xx, and within a bound. FUZZ_RUNS / FUZZ_SEED change the budget and the cases.
import { randomBytes } from "node:crypto";
import { WORKERS_COMPATIBILITY_DATE } from "@access-bridge/conventions";
import fc from "fast-check";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { afterAll, beforeAll, expect, test } from "vitest";
import { acceptAuthorizationResponse } from "../src/authorization-request.js";
import { AUTH_RELAY_ERROR_CODES, AuthRelayError } from "../src/errors.js";
import { createState } from "../src/pkce.js";
import { RELAY_CLIENT_TOKEN_HEADER, RELAY_SUBPROTOCOL } from "../src/relay-protocol.js";
import { RELAY_WORKER_SCRIPT_PATH } from "../src/relay-worker.js";
import { parseRelayMessage } from "../src/transports/relay-receiver.js";
import { method, requestTarget, validState } from "@access-bridge/test-support/fuzz-arbitraries";
import { fuzzParameters, fuzzTimeout } from "@access-bridge/test-support/fuzz";
import { rawRequest, type RawAnswer } from "@access-bridge/test-support/raw-http";
import { newClientToken, openRelaySocket } from "./support/relay-socket.js";

const metadata = { issuer: "https://as.example", token_endpoint: "https://as.example/token" };

const RUNS = 300;
let mf: Miniflare;
let origin: string;

beforeAll(async () => {
  mf = new Miniflare(
    convertV4MiniflareOptions({
      cf: false,
      host: "127.0.0.1",
      port: 0,
      compatibilityDate: WORKERS_COMPATIBILITY_DATE,
      modules: true,
      scriptPath: RELAY_WORKER_SCRIPT_PATH,
      durableObjects: { AUTH_SESSION: { className: "AuthSession", useSQLite: true } },
      bindings: {
        CONSENT_GRANTED_URL: "https://consent.example/granted",
        CONSENT_DENIED_URL: "https://consent.example/denied",
      },
    }),
  );
  origin = (await mf.ready).origin;
});
afterAll(() => mf.dispose());

const upgradeHeaders = fc.record(
  {
    Upgrade: fc.constantFrom("websocket", "WebSocket", "h2c", ""),
    Connection: fc.constant("Upgrade"),
    "Sec-WebSocket-Version": fc.constant("13"),
    "Sec-WebSocket-Key": fc.constant(randomBytes(16).toString("base64")),
    "Sec-WebSocket-Protocol": fc.constantFrom(
      RELAY_SUBPROTOCOL,
      `x, ${RELAY_SUBPROTOCOL}`,
      "other",
    ),
    [RELAY_CLIENT_TOKEN_HEADER]: fc.oneof(
      fc.constant(randomBytes(32).toString("base64url")),
      fc.string({ unit: fc.constantFrom(..."abcXYZ019_-+/= "), maxLength: 140 }),
    ),
    Origin: fc.constantFrom("https://evil.example", "null"),
  },
  { requiredKeys: [] },
);

/**
 * What every answer must be: a known success, or a 4xx with a reason a person can read. workerd
 * itself answers some targets (a raw `<` or a backtick) with `400 invalid URI` before the relay
 * runs; that is a plain 4xx too.
 */
function expectPlainAnswer(answer: RawAnswer, requestMethod: string): void {
  expect(answer.status).not.toBeGreaterThanOrEqual(500);
  if (answer.status === 101 || answer.status === 307) return;
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  expect(answer.contentType).toMatch(/^text\/plain(; charset=utf-8)?$/);
  if (requestMethod !== "HEAD") expect(answer.body.trim()).toMatch(/^[\x20-\x7e]+$/);
}

test(
  "any path, query and method: a 4xx with a plain reason, never a 5xx or a hang",
  async () => {
    await fc.assert(
      fc.asyncProperty(requestTarget(validState), method, async (target, requestMethod) => {
        const answer = await rawRequest(origin, { method: requestMethod, target });
        expectPlainAnswer(answer, requestMethod);
      }),
      fuzzParameters(RUNS),
    );
  },
  fuzzTimeout(RUNS, 100),
);

test(
  "session upgrades with any state and any mix of the upgrade headers",
  async () => {
    const target = fc.oneof(
      validState.map((state) => `/session/${state}`),
      requestTarget().map((path) => `/session${path}`),
    );
    await fc.assert(
      fc.asyncProperty(target, upgradeHeaders, async (path, headers) => {
        const answer = await rawRequest(origin, { method: "GET", target: path, headers });
        expectPlainAnswer(answer, "GET");
      }),
      fuzzParameters(RUNS),
    );
  },
  fuzzTimeout(RUNS, 100),
);

test(
  "callbacks for states with no session: any parameters, repeated or not, never delivered",
  async () => {
    const parameter = fc.tuple(
      fc.constantFrom("code", "error", "error_description", "iss", "state"),
      fc.string({ maxLength: 300 }),
    );
    await fc.assert(
      fc.asyncProperty(
        validState,
        fc.array(parameter, { maxLength: 6 }),
        async (state, parameters) => {
          const query = new URLSearchParams([["state", state], ...parameters]);
          const answer = await rawRequest(origin, { method: "GET", target: `/callback?${query}` });
          expectPlainAnswer(answer, "GET");
          // No session was opened for these states: nothing may be delivered or redirected.
          expect(answer.status).not.toBe(307);
        },
      ),
      fuzzParameters(RUNS),
    );
  },
  fuzzTimeout(RUNS, 100),
);

test(
  "a callback with any parameters for an open session reaches the CLI as a code or a coded error",
  async () => {
    const runs = Math.ceil((fuzzParameters(RUNS).numRuns ?? RUNS) / 3);
    const parameter = fc.tuple(
      fc.constantFrom("code", "error", "error_description", "iss"),
      fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 200 })),
    );
    let delivered = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(parameter, { maxLength: 5 }), async (parameters) => {
        const state = createState();
        const cli = await openRelaySocket(origin, state, newClientToken());
        try {
          const query = new URLSearchParams([["state", state], ...parameters]);
          const answer = await rawRequest(origin, { method: "GET", target: `/callback?${query}` });
          expectPlainAnswer(answer, "GET");
          if (answer.status !== 307) return;
          delivered += 1;
          const outcome = parseRelayMessage(JSON.stringify(await cli.nextMessage()));
          expect(outcome?.kind).toBe("callback");
          if (outcome?.kind !== "callback") return;
          try {
            expect(acceptAuthorizationResponse(outcome.response, state, metadata)).toBe(
              query.get("code"),
            );
          } catch (error) {
            expect(error).toBeInstanceOf(AuthRelayError);
            expect(AUTH_RELAY_ERROR_CODES).toContain((error as AuthRelayError).code);
          }
        } finally {
          cli.socket.close();
        }
      }),
      { ...fuzzParameters(RUNS), numRuns: runs },
    );
    expect(delivered).toBeGreaterThan(0);
  },
  fuzzTimeout(RUNS, 100),
);
