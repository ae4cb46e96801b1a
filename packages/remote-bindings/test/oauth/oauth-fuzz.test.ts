// Hostile input for the OAuth layer (issues 13, 14 and 18): generated paths, queries, methods,
// Authorization headers, cookies and form bodies at every OAuth endpoint and at the binding path,
// and ids and tokens of any length up to 64 KiB in every field that carries one. Whatever
// arrives, the answer is a 3xx/4xx (or a binding's own answer), never a 5xx, never a hang.
// FUZZ_RUNS / FUZZ_SEED as in the auth-relay suites.
import fc from "fast-check";
import { expect, test } from "vitest";
import { method, queryValue, requestTarget } from "@access-bridge/test-support/fuzz-arbitraries";
import { fuzzParameters, fuzzTimeout } from "@access-bridge/test-support/fuzz";
import { rawRequest, type RawAnswer } from "@access-bridge/test-support/raw-http";
import {
  consentHandle,
  location,
  ScriptedBrowser,
} from "@access-bridge/test-support/oauth-browser";
import { authorizationRequest, registerClient } from "@access-bridge/test-support/oauth-client";
import { setUp } from "@access-bridge/test-support/oauth-setup";
import { longInputTargets, longValue } from "./support/long-inputs.js";

const RUNS = 150;
const OAUTH_PATHS = ["/oauth/authorize", "/oauth/callback", "/oauth/token", "/oauth/register", "/"];

const header = fc.oneof(
  fc.constant(undefined),
  fc.string({ unit: fc.constantFrom(...'Bearer abcXYZ019-._~+/=:,; "'), maxLength: 120 }),
  fc.string({ maxLength: 40 }).map((text) => `Bearer ${text.replace(/[^\x20-\x7e]/g, "")}`),
);

function expectNo5xx(answer: RawAnswer, context: string): void {
  expect(answer.status, context).toBeGreaterThanOrEqual(200);
  expect(answer.status, context).toBeLessThan(500);
}

test(
  "any path, query, method, Authorization and Cookie at the OAuth endpoints and the binding path: never a 5xx",
  async () => {
    const { proxy } = await setUp({ rateLimit: 1_000_000 });
    const target = fc.oneof(
      requestTarget(),
      fc
        .tuple(
          fc.constantFrom(...OAUTH_PATHS),
          fc.array(
            fc.tuple(
              fc.constantFrom(
                "state",
                "code",
                "error",
                "client_id",
                "redirect_uri",
                "response_type",
                "code_challenge",
                "code_challenge_method",
                "resource",
                "scope",
              ),
              queryValue(),
            ),
            { maxLength: 8 },
          ),
        )
        .map(
          ([path, pairs]) =>
            `${path}?${pairs.map(([name, value]) => `${name}=${value}`).join("&")}`,
        ),
    );
    await fc.assert(
      fc.asyncProperty(
        target,
        method,
        header,
        header,
        async (path, requestMethod, authorization, cookie) => {
          const headers: Record<string, string> = {};
          if (authorization !== undefined) headers.Authorization = authorization;
          if (cookie !== undefined) headers.Cookie = cookie;
          const answer = await rawRequest(proxy.origin, {
            method: requestMethod,
            target: path,
            headers,
          });
          expectNo5xx(answer, `${requestMethod} ${path}`);
        },
      ),
      fuzzParameters(RUNS),
    );
  },
  fuzzTimeout(RUNS, 100),
);

test(
  "any form posted to the consent endpoint and the token endpoint: never a 5xx",
  async () => {
    const { proxy } = await setUp({ rateLimit: 1_000_000 });
    const clientId = await registerClient(proxy.origin);
    const request = authorizationRequest(proxy.origin, clientId);
    const browser = new ScriptedBrowser();
    const handle = consentHandle(await (await browser.get(request.url)).text());
    const field = fc.tuple(
      fc.constantFrom(
        "handle",
        "decision",
        "grant_type",
        "code",
        "refresh_token",
        "client_id",
        "code_verifier",
        "redirect_uri",
        "token",
        "resource",
        "scope",
      ),
      fc.oneof(
        fc.constant(handle),
        fc.constant(clientId),
        fc.constantFrom("approve", "deny", "authorization_code", "refresh_token"),
        fc.string({ maxLength: 80 }),
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/oauth/authorize", "/oauth/token", "/oauth/register"),
        fc.array(field, { maxLength: 6 }),
        fc.constantFrom(
          "application/x-www-form-urlencoded",
          "application/json",
          "text/plain",
          "multipart/form-data",
        ),
        async (path, fields, contentType) => {
          const body =
            contentType === "application/json"
              ? JSON.stringify(Object.fromEntries(fields))
              : new URLSearchParams(fields).toString();
          const response = await fetch(`${proxy.origin}${path}`, {
            method: "POST",
            redirect: "manual",
            headers: { "Content-Type": contentType },
            body,
          });
          await response.arrayBuffer();
          expect(response.status, `${path} ${contentType} ${body}`).toBeLessThan(500);
        },
      ),
      fuzzParameters(RUNS),
    );
    // The consent was never approved by a post without its cookie: the handle still works.
    const approved = await browser.post(request.url, { handle, decision: "approve" });
    expect(location(approved).pathname).toMatch(/\/authorization$/);
  },
  fuzzTimeout(RUNS, 100),
);

test(
  "ids and tokens of any length up to 64 KiB, in every field of every endpoint that takes one: never a 5xx",
  async () => {
    const { proxy } = await setUp({ rateLimit: 1_000_000 });
    const targets = longInputTargets(await registerClient(proxy.origin));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...targets),
        fc.oneof(fc.constantFrom(513, 4096, 65_536), fc.integer({ min: 1, max: 65_536 })),
        fc.constantFrom("plain", "token", "multibyte") as fc.Arbitrary<
          "plain" | "token" | "multibyte"
        >,
        async (target, length, shape) => {
          const answer = await target.send(proxy.origin, longValue(length, shape));
          const context = `${target.name}, ${length} characters (${shape})`;
          expect(answer.status, context).toBeGreaterThanOrEqual(200);
          expect(answer.status, context).toBeLessThan(500);
        },
      ),
      fuzzParameters(RUNS),
    );
    // And each one at the two lengths that used to fail: past KV's 512-byte key, and 64 KiB.
    for (const target of targets) {
      for (const length of [600, 65_536]) {
        const answer = await target.send(proxy.origin, longValue(length, "token"));
        expect(answer.status, `${target.name}, ${length}`).toBeLessThan(500);
      }
    }
  },
  fuzzTimeout(RUNS * 2, 100),
);
