import { expect, test } from "vitest";
import { newClientToken, newState, openRelaySocket, sendCallback } from "./support/relay-socket.js";
import { startRelay } from "@access-bridge/test-support/start-relay";

test("the alarm ends the session at its TTL: CLI told, callback refused, storage empty", async () => {
  const relay = await startRelay({ ttlSeconds: 2 });
  const state = newState();
  const cli = await openRelaySocket(relay.origin, state, newClientToken());
  expect((await relay.storage(state)).alarm).toEqual(expect.any(Number));

  expect(await cli.nextMessage()).toEqual({ type: "expired" });
  expect((await sendCallback(relay.origin, `code=late&state=${state}`)).status).toBe(404);
  expect(await relay.storage(state)).toEqual({ keys: [], alarm: null });
});

test("hibernation: the session survives the object being evicted while the socket stays open", async () => {
  const relay = await startRelay();
  const state = newState();
  const cli = await openRelaySocket(relay.origin, state, newClientToken());
  const before = await relay.constructions();

  // What workerd does after 10 s to an idle object that only hibernatable sockets hold
  // (workerd#1138), done now instead of waited for: the instance is dropped and its sockets
  // hibernate. An object that still holds a socket accepted without the Hibernation API cannot be
  // evicted this way ("it still has active references"), nor would workerd evict it when idle.
  // The worker has no name, hence "".
  await relay.mf.unsafeEvictDurableObject("", "ProbedAuthSession", {
    name: state,
    webSockets: "hibernate",
  });
  expect((await sendCallback(relay.origin, `code=after-eviction&state=${state}`)).status).toBe(307);

  expect(await relay.constructions()).toBe(before + 1);
  expect(await cli.nextMessage()).toMatchObject({
    type: "callback",
    code: "after-eviction",
    state,
  });
  cli.socket.send(JSON.stringify({ type: "ack" }));
  expect((await cli.closed).code).toBe(1000);
  expect(await relay.storage(state)).toEqual({ keys: [], alarm: null });
});
