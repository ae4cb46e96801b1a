// The Node end of the bearer token (bearer-token-source.ts) and the reading of an OAuth-mode
// refusal (bearer-refusal.ts), on their own; bearer-client.test.ts runs them through workerd.
import { expect, test } from "vitest";
import { bearerRefusal } from "../src/shared/bearer-refusal.js";
import { tokenResponder, type BearerTokenSource } from "../src/node/bearer-token-source.js";

const PROXY = "https://bindings-proxy.example.workers.dev";

function challenge(params: string): { status: number; headers: Headers } {
  return { status: 401, headers: new Headers({ "WWW-Authenticate": `Bearer ${params}` }) };
}

test("a refusal's error is repeated only as an RFC 6750 error code, never other text the server sent", () => {
  const metadata = `resource_metadata="${PROXY}/.well-known/oauth-protected-resource"`;
  expect(bearerRefusal(challenge(`error="invalid_token", ${metadata}`), PROXY)).toEqual({
    error: "invalid_token",
  });
  // An endpoint that echoes request headers could put the token in the challenge.
  expect(
    bearerRefusal(challenge(`error="Bearer eyJhbGciOi.secret.sig", ${metadata}`), PROXY),
  ).toEqual({ error: "" });
  // Another origin's challenge is the remote service's own 401, not the proxy's.
  expect(
    bearerRefusal(challenge(`resource_metadata="https://api.example.com/.well-known/x"`), PROXY),
  ).toBeUndefined();
});

test("a token source that never answers fails the request at the bound, and the next request asks again", async () => {
  const asked: (AbortSignal | undefined)[] = [];
  let answer: BearerTokenSource["token"] = (signal) => {
    asked.push(signal);
    return new Promise(() => {});
  };
  const respond = tokenResponder({ token: (...args) => answer(...args) }, 200);

  expect(await respond({ remote: PROXY, reason: "missing" })).toEqual({
    status: 502,
    body: { error: "the token source did not answer within 0.2 s." },
  });
  expect(asked[0]?.aborted).toBe(true);

  answer = async () => "fresh-token";
  expect(await respond({ remote: PROXY, reason: "missing" })).toEqual({
    status: 200,
    body: { token: "fresh-token" },
  });
});

test("after a refusal the source is told which token was refused; otherwise it is not", async () => {
  const refusedSeen: (string | undefined)[] = [];
  let next = 0;
  const respond = tokenResponder({
    token: async (_signal, refused) => {
      refusedSeen.push(refused);
      return { token: `token-${++next}`, expiresAt: Date.now() + 3_600_000 };
    },
  });

  await respond({ remote: PROXY, reason: "missing" });
  await respond({ remote: PROXY, reason: "refused" });
  await respond({ remote: PROXY, reason: "expiring" });

  expect(refusedSeen).toEqual([undefined, "token-1", undefined]);
});
