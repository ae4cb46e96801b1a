import { describe, expect, test } from "vitest";
import { RELAY_CLIENT_TOKEN_HEADER, RELAY_SUBPROTOCOL } from "../src/relay-protocol.js";
import {
  newClientToken,
  newState,
  openRelaySocket,
  sendCallback,
  upgradeStatus,
} from "./support/relay-socket.js";
import {
  CONSENT_DENIED_URL,
  CONSENT_GRANTED_URL,
  startRelay,
} from "@access-bridge/test-support/start-relay";

const upgrade = (token: string, extra: Record<string, string> = {}) => ({
  Upgrade: "websocket",
  "Sec-WebSocket-Protocol": RELAY_SUBPROTOCOL,
  [RELAY_CLIENT_TOKEN_HEADER]: token,
  ...extra,
});

describe("relay: delivering a callback", () => {
  test("sends {code,state} to the socket, 307s to the granted page, then forgets the session", async () => {
    const relay = await startRelay();
    const state = newState();
    const cli = await openRelaySocket(relay.origin, state, newClientToken());

    const response = await sendCallback(
      relay.origin,
      `code=abc123&state=${state}&iss=https%3A%2F%2Fas.example`,
    );
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe(CONSENT_GRANTED_URL);
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await cli.nextMessage()).toEqual({
      type: "callback",
      code: "abc123",
      state,
      iss: "https://as.example",
    });

    cli.socket.send(JSON.stringify({ type: "ack" }));
    expect(await cli.closed).toEqual({ code: 1000, reason: "Delivered." });
    expect(await relay.storage(state)).toEqual({ keys: [], alarm: null });
  });

  test("sends {error,state} for a denial and 307s to the denied page", async () => {
    const relay = await startRelay();
    const state = newState();
    const cli = await openRelaySocket(relay.origin, state, newClientToken());

    const response = await sendCallback(relay.origin, `error=access_denied&state=${state}`);
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe(CONSENT_DENIED_URL);
    expect(await cli.nextMessage()).toEqual({ type: "callback", error: "access_denied", state });
  });

  test("first callback wins: a replay, a spent state and an unknown state get the same 404", async () => {
    const relay = await startRelay();
    const state = newState();
    const cli = await openRelaySocket(relay.origin, state, newClientToken());

    expect((await sendCallback(relay.origin, `code=first&state=${state}`)).status).toBe(307);
    const replay = await sendCallback(relay.origin, `code=second&state=${state}`);
    expect(await cli.nextMessage()).toMatchObject({ code: "first" });
    cli.socket.send(JSON.stringify({ type: "ack" }));
    await cli.closed;
    const spent = await sendCallback(relay.origin, `code=first&state=${state}`);
    const unknown = await sendCallback(relay.origin, `code=x&state=${newState()}`);

    for (const response of [replay, spent, unknown]) {
      expect(response.status).toBe(404);
      expect(await response.text()).toBe("Not found.\n");
      expect(response.headers.get("cache-control")).toBe("no-store");
    }
    expect(await relay.storage(state)).toEqual({ keys: [], alarm: null });
  });

  test("keeps an early callback until the CLI's socket (re)connects", async () => {
    const relay = await startRelay();
    const state = newState();
    const token = newClientToken();
    const first = await openRelaySocket(relay.origin, state, token);
    first.socket.close();
    await first.closed;

    expect((await sendCallback(relay.origin, `code=early&state=${state}`)).status).toBe(307);
    expect((await relay.storage(state)).keys).toContain("callback");

    const again = await openRelaySocket(relay.origin, state, token);
    expect(await again.nextMessage()).toMatchObject({ type: "callback", code: "early", state });
    again.socket.send(JSON.stringify({ type: "ack" }));
    await again.closed;
    expect(await relay.storage(state)).toEqual({ keys: [], alarm: null });
  });
});

describe("relay: who may open a session", () => {
  test("refuses browsers, missing subprotocol, missing token, plain GETs and bad states", async () => {
    const relay = await startRelay();
    const state = newState();
    const token = newClientToken();
    const path = `/session/${state}`;

    expect(
      await upgradeStatus(relay.origin, path, upgrade(token, { Origin: "https://evil.example" })),
    ).toBe(403);
    expect(
      await upgradeStatus(relay.origin, path, {
        Upgrade: "websocket",
        [RELAY_CLIENT_TOKEN_HEADER]: token,
      }),
    ).toBe(400);
    expect(
      await upgradeStatus(relay.origin, path, {
        Upgrade: "websocket",
        "Sec-WebSocket-Protocol": RELAY_SUBPROTOCOL,
      }),
    ).toBe(401);
    expect(await upgradeStatus(relay.origin, path, upgrade("short"))).toBe(401);
    expect((await fetch(`${relay.origin}${path}`)).status).toBe(426);
    expect(await upgradeStatus(relay.origin, "/session/too-short", upgrade(token))).toBe(404);
    expect(await upgradeStatus(relay.origin, `/session/${"a".repeat(129)}`, upgrade(token))).toBe(
      404,
    );
    expect(await upgradeStatus(relay.origin, `/session/${"a".repeat(31)}%2F`, upgrade(token))).toBe(
      404,
    );
    // None of the refused upgrades created a session.
    expect(await relay.storage(state)).toEqual({ keys: [], alarm: null });
  });

  test("refuses a second socket for the same state, and a reconnect with another token", async () => {
    const relay = await startRelay();
    const state = newState();
    const token = newClientToken();
    await openRelaySocket(relay.origin, state, token);

    expect(await upgradeStatus(relay.origin, `/session/${state}`, upgrade(token))).toBe(409);
    expect(await upgradeStatus(relay.origin, `/session/${state}`, upgrade(newClientToken()))).toBe(
      403,
    );
  });

  test("answers 405 to anything but GET, and 404 off its two routes", async () => {
    const relay = await startRelay();
    const state = newState();
    for (const path of [`/callback?code=a&state=${state}`, `/session/${state}`]) {
      const response = await fetch(`${relay.origin}${path}`, { method: "POST" });
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("GET");
    }
    expect((await fetch(`${relay.origin}/`)).status).toBe(404);
    expect((await sendCallback(relay.origin, `state=${state}`)).status).toBe(400);
    expect((await sendCallback(relay.origin, `code=a&error=b&state=${state}`)).status).toBe(400);
    expect((await sendCallback(relay.origin, `code=a&code=b&state=${state}`)).status).toBe(400);
  });
});
