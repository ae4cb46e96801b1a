import { setTimeout as sleep } from "node:timers/promises";
import { expect, test } from "vitest";
import { newClientToken, newState, openRelaySocket, sendCallback } from "./support/relay-socket.js";
import { startRelay } from "./support/start-relay.js";

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

  // workerd evicts an idle Durable Object after 10 s when only hibernatable sockets hold it
  // (workerd#1138); the socket stays open meanwhile. 3 s of margin for a loaded machine.
  await sleep(13_000);
  expect((await sendCallback(relay.origin, `code=after-sleep&state=${state}`)).status).toBe(307);

  expect(await relay.constructions()).toBe(before + 1);
  expect(await cli.nextMessage()).toMatchObject({ type: "callback", code: "after-sleep", state });
  cli.socket.send(JSON.stringify({ type: "ack" }));
  expect((await cli.closed).code).toBe(1000);
  expect(await relay.storage(state)).toEqual({ keys: [], alarm: null });
});
