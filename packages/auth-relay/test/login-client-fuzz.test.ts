// Hostile input for the login client's side of a callback (issue 13): whatever reaches the
// loopback receiver, whatever the relay forwards, whatever a user passes as --issuer or --relay.
// The client answers the browser with a 4xx page (or the one 200 for its own state), and its
// callers get a code or an AuthRelayError with a known code, never another throw, never a hang.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  acceptAuthorizationResponse,
  type AuthorizationResponse,
} from "../src/authorization-request.js";
import { parseIssuer, type AuthorizationServerMetadata } from "../src/discovery.js";
import { AUTH_RELAY_ERROR_CODES, AuthRelayError } from "../src/errors.js";
import { createState } from "../src/pkce.js";
import { startLoopbackReceiver } from "../src/transports/loopback-receiver.js";
import { parseRelayMessage, parseRelayUrl } from "../src/transports/relay-receiver.js";
import { method, queryValue, requestTarget } from "@access-bridge/test-support/fuzz-arbitraries";
import { fuzzParameters, fuzzTimeout } from "@access-bridge/test-support/fuzz";
import { rawRequest } from "@access-bridge/test-support/raw-http";

const metadata: AuthorizationServerMetadata = {
  issuer: "https://as.example",
  token_endpoint: "https://as.example/token",
};

/** What a caller of the client may see: a result, or one of our errors with a listed code. */
function expectKnownOutcome(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthRelayError);
    expect(AUTH_RELAY_ERROR_CODES).toContain((error as AuthRelayError).code);
  }
}

/** Callback parameters, with this login's state and issuer among the candidates. */
const callbackFields = (state: string) =>
  fc.record(
    {
      state: fc.oneof(fc.constant(state), fc.string(), fc.constant(`${state} `)),
      code: fc.string({ maxLength: 200 }),
      error: fc.oneof(fc.constantFrom("access_denied", "server_error", ""), fc.string()),
      error_description: fc.string({ unit: "binary", maxLength: 300 }),
      iss: fc.oneof(fc.constant(metadata.issuer), fc.string()),
    },
    { requiredKeys: [] },
  );

describe("the authorization response", () => {
  const RUNS = 2_000;
  test(
    "any callback fields: the code of a valid response, or a coded error that never echoes the code",
    () => {
      const state = createState();
      fc.assert(
        fc.property(callbackFields(state), fc.boolean(), (response, advertisesIss) => {
          const server = {
            ...metadata,
            authorization_response_iss_parameter_supported: advertisesIss,
          };
          try {
            expect(acceptAuthorizationResponse(response, state, server)).toBe(response.code);
          } catch (error) {
            expect(error).toBeInstanceOf(AuthRelayError);
            expect(AUTH_RELAY_ERROR_CODES).toContain((error as AuthRelayError).code);
            const code = response.code ?? "";
            if (code.trim().length >= 8) expect((error as Error).message).not.toContain(code);
          }
        }),
        fuzzParameters(RUNS),
      );
    },
    fuzzTimeout(RUNS, 1),
  );

  test(
    "any message from the relay socket: ignored, expiry, or a callback of strings only",
    () => {
      const message = fc.oneof(
        fc.json(),
        fc.string(),
        fc
          .record({
            type: fc.constantFrom("callback", "expired", "ack", "CALLBACK"),
            state: fc.anything(),
            code: fc.anything(),
            error: fc.anything(),
            error_description: fc.anything(),
            iss: fc.anything(),
          })
          .map((value) => {
            try {
              return JSON.stringify(value);
            } catch {
              return "{}";
            }
          }),
        fc.anything(),
      );
      fc.assert(
        fc.property(message, (data) => {
          const outcome = parseRelayMessage(data);
          if (outcome?.kind !== "callback") return;
          for (const value of Object.values(outcome.response as Record<string, unknown>)) {
            expect(typeof value).toBe("string");
          }
          expectKnownOutcome(() =>
            acceptAuthorizationResponse(outcome.response, createState(), metadata),
          );
        }),
        fuzzParameters(RUNS),
      );
    },
    fuzzTimeout(RUNS, 1),
  );

  test(
    "any --issuer or --relay value: a URL, or ERR_INVALID_OPTION",
    () => {
      const value = fc.oneof(
        fc.string({ unit: "binary" }),
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        fc.constantFrom("http://127.0.0.1:1", "http://[::1]", "https://", "file:///etc/passwd"),
      );
      fc.assert(
        fc.property(value, (input) => {
          for (const parse of [parseIssuer, parseRelayUrl]) {
            try {
              expect(parse(input)).toBeInstanceOf(URL);
            } catch (error) {
              expect(error).toMatchObject({ name: "AuthRelayError", code: "ERR_INVALID_OPTION" });
            }
          }
        }),
        fuzzParameters(RUNS),
      );
    },
    fuzzTimeout(RUNS, 1),
  );
});

describe("the loopback receiver", () => {
  const RUNS = 200;
  test(
    "any request: a 404/400 page, or the one 200 for this login's state, then a known outcome",
    async () => {
      const state = createState();
      let delivered = 0;
      const target = fc.oneof(
        requestTarget(fc.constant(state)),
        fc
          .array(
            fc.tuple(
              fc.constantFrom("state", "code", "error", "iss", "error_description"),
              queryValue(fc.constant(state)),
            ),
            { maxLength: 6 },
          )
          .map(
            (pairs) =>
              `/callback?state=${state}&${pairs.map(([name, value]) => `${name}=${value}`).join("&")}`,
          ),
      );
      await fc.assert(
        fc.asyncProperty(target, method, async (path, requestMethod) => {
          const receiver = await startLoopbackReceiver(state);
          try {
            const { origin } = new URL(receiver.redirectUri);
            const answer = await rawRequest(origin, { method: requestMethod, target: path });
            expect([200, 400, 404]).toContain(answer.status);
            // Node's HTTP parser answers a request it cannot parse with a bare 400 of its own.
            if (answer.contentType === "") expect(answer.status).toBe(400);
            else expect(answer.contentType).toBe("text/html; charset=utf-8");
            if (answer.status !== 200) return;
            delivered += 1;
            const response: AuthorizationResponse = await receiver.waitForResponse(
              AbortSignal.timeout(5_000),
            );
            expectKnownOutcome(() => acceptAuthorizationResponse(response, state, metadata));
          } finally {
            await receiver.close();
          }
        }),
        fuzzParameters(RUNS),
      );
      // The generator reaches the delivering branch, not only the refusals.
      expect(delivered).toBeGreaterThan(0);
    },
    fuzzTimeout(RUNS, 50),
  );
});
