// The Miniflare API with @access-bridge/auth-relay's own token source: `login({ remote })` signs
// in through the Access emulator's Access for SaaS application and stores the tokens, and
// `accessTokenSource({ remote })` is passed to remoteBindings({ bearer }) as it is. Then what a
// developer meets when the sign-in can no longer be renewed, and after a logout (revocation).
import { expect, test } from "vitest";
import { accessTokenSource, logout } from "@access-bridge/auth-relay";
import { tempStore } from "@access-bridge/test-support/temp-store";
import { captureForCanaryCheck } from "@access-bridge/test-support/test-canary";
import {
  signInTo,
  startBearerRemote,
  tokenHash,
  type BearerRemote,
} from "@access-bridge/test-support/bearer-remote";
import { startBearerLocal, type Outcome } from "./support/bearer-local.js";

async function signedIn(remote: BearerRemote) {
  const store = await tempStore();
  return { store, stored: await signInTo(remote, store) };
}

function failure(outcome: Outcome): string {
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  captureForCanaryCheck("bearer client error", outcome.message);
  return outcome.message;
}

test("a sign-in that can no longer be renewed: the call fails with ERR_TOKEN_REFRESH_FAILED, auth-relay's reason and the login command", async () => {
  // 60 s tokens, so that auth-relay renews the stored one whenever it is asked (a minute early).
  const remote = await startBearerRemote({ accessTokenTtl: 60 });
  const { store, stored } = await signedIn(remote);
  // The server forgets the grant (as when the sign-in ran out or was revoked elsewhere).
  await remote.revoke(
    {
      clientId: stored.clientId,
      accessToken: stored.accessToken,
      refreshToken: stored.refreshToken!,
      expiresAt: stored.expiresAt!,
    },
    "refresh_token",
  );
  const local = await startBearerLocal(remote.origin, {
    bearer: accessTokenSource({ remote: remote.origin, store }),
  });
  const message = failure(await local.call("/rpc", { name: "ada" }));
  expect(message).toMatch(
    /^\[ERR_TOKEN_REFRESH_FAILED\] Remote binding "API" \(rpc\) at 127\.0\.0\.1:\d+ needs an access token for the proxy server \(OAuth mode\), and none could be obtained: The login for http:\/\/127\.0\.0\.1:\d+ expired and could not be renewed\./,
  );
  expect(message).toContain("(invalid_grant)");
  expect(message).toContain(`Run \`access-bridge login --remote ${remote.origin}\`.`);
  expect(message).toContain("(ERR_REFRESH_FAILED)");
  // Said once: auth-relay's message already names the command.
  expect(message.split("login --remote")).toHaveLength(2);
  expect(await remote.seen()).toEqual([]);
});

test("logout revokes the sign-in: HTTP calls fail at once, the open session is closed at the server's next check, and the next call says to sign in again", async () => {
  // The server checks open sessions every second here (30 s by default, at most 60).
  const remote = await startBearerRemote({ sessionRecheckSeconds: 1 });
  const { store, stored } = await signedIn(remote);
  const local = await startBearerLocal(remote.origin, {
    bearer: accessTokenSource({ remote: remote.origin, store }),
  });
  expect(await local.call("/rpc", { name: "before" })).toEqual({ ok: true, value: "hello before" });
  expect(await local.call("/http")).toMatchObject({ ok: true, value: { status: 200 } });
  expect((await remote.seen()).map((request) => request.bearer)).toEqual([
    tokenHash(stored.accessToken),
    tokenHash(stored.accessToken),
  ]);

  expect(await logout({ remote: remote.origin, store })).toMatchObject({ revoked: true });
  // The token is refused (401), a new one is asked for, and there is no login left to give one.
  const http = failure(await local.call("/http"));
  expect(http).toMatch(/^\[ERR_TOKEN_REFRESH_FAILED\] Remote binding "API" \(http\)/);
  expect(http).toContain("There is no usable stored login");
  expect(http).toContain(`access-bridge login --remote ${remote.origin}`);

  // The RPC session opened before the logout serves calls until the server's check finds its
  // token revoked and closes it (4401); the next call then needs a token there is none of.
  let rpc: Outcome = { ok: true, value: undefined };
  await expect
    .poll(
      async () => {
        rpc = await local.call("/rpc", { name: "open session" });
        return rpc.ok;
      },
      { timeout: 15_000, interval: 500 },
    )
    .toBe(false);
  const message = failure(rpc);
  expect(message).toMatch(/^\[ERR_TOKEN_REFRESH_FAILED\] Remote binding "API" \(rpc\)/);
  expect(message).toContain("There is no usable stored login");
  expect(message).toContain(`access-bridge login --remote ${remote.origin}`);
  // No new upgrade was sent: there was no token to send.
  expect((await remote.seen()).filter((request) => request.path === "rpc")).toHaveLength(1);
});
