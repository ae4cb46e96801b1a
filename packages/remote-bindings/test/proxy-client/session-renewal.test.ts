// The proxy client's time-driven decisions on a clock the test moves: when a bearer token is
// renewed (renewal.ts), which session a call takes (session-choice.ts), and when a session's link
// counts as stalled or is probed (link-watch.ts). The same code runs in workerd; the end-to-end
// tests (test/oauth/bearer-client.test.ts, fixtures' faults-stall.test.ts) see it on a real clock.
import { describe, expect, it } from "vitest";
import { LinkWatch } from "../../src/workers/proxy-client/link-watch.js";
import {
  renewalDue,
  RENEW_BEFORE_MS,
  UNKNOWN_EXPIRY_REASK_MS,
  type BearerLease,
} from "../../src/workers/proxy-client/renewal.js";
import {
  SessionChoice,
  type ChoosableSession,
} from "../../src/workers/proxy-client/session-choice.js";

const HOUR = 3_600_000;

/** Lets every promise callback that can run, run. */
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("renewalDue", () => {
  it("renews a long-lived token a minute before it expires", () => {
    const lease = { token: "t", obtainedAt: 0, expiresAt: HOUR };
    expect(renewalDue(lease, HOUR - RENEW_BEFORE_MS - 1)).toBe(false);
    expect(renewalDue(lease, HOUR - RENEW_BEFORE_MS)).toBe(true);
    expect(renewalDue(lease, HOUR + 1)).toBe(true);
  });

  it("renews a short-lived token at half its lifetime", () => {
    const lease = { token: "t", obtainedAt: 1_000, expiresAt: 31_000 };
    expect(renewalDue(lease, 15_999)).toBe(false);
    expect(renewalDue(lease, 16_000)).toBe(true);
  });

  it("asks again after a while when the expiry is unknown", () => {
    const lease = { token: "t", obtainedAt: 5_000 };
    expect(renewalDue(lease, 5_000 + UNKNOWN_EXPIRY_REASK_MS - 1)).toBe(false);
    expect(renewalDue(lease, 5_000 + UNKNOWN_EXPIRY_REASK_MS)).toBe(true);
  });
});

interface FakeSession extends ChoosableSession {
  id: number;
  retiredAt?: number;
}

/** A chooser whose sessions open when the test says, on a clock the test sets. */
function chooser() {
  const clock = { now: 0 };
  const opens: {
    resolve: (lease?: BearerLease) => FakeSession;
    reject: (error: Error) => void;
    promise: Promise<FakeSession>;
  }[] = [];
  const choice = new SessionChoice<FakeSession>(
    () => {
      const id = opens.length + 1;
      let settle!: (session: FakeSession) => void;
      let fail!: (error: Error) => void;
      const promise = new Promise<FakeSession>((resolve, reject) => {
        settle = resolve;
        fail = reject;
      });
      opens.push({
        promise,
        resolve: (lease) => {
          const session: FakeSession = {
            id,
            ...(lease === undefined ? {} : { lease }),
            retire(expiresAt) {
              session.retiredAt = expiresAt;
            },
          };
          settle(session);
          return session;
        },
        reject: (error) => fail(error),
      });
      return promise;
    },
    () => clock.now,
  );
  return { choice, clock, opens };
}

const lease = (token: string, obtainedAt: number, expiresAt?: number): BearerLease => ({
  token,
  obtainedAt,
  ...(expiresAt === undefined ? {} : { expiresAt }),
});

describe("SessionChoice", () => {
  it("opens nothing before a call, then one session that every call shares", async () => {
    const { choice, opens } = chooser();
    expect(opens).toHaveLength(0);
    const first = choice.current();
    const second = choice.current();
    expect(opens).toHaveLength(1);
    opens[0]!.resolve();
    expect((await first).id).toBe(1);
    expect((await second).id).toBe(1);
    expect((await choice.current()).id).toBe(1);
    expect(opens).toHaveLength(1);
  });

  it("fails the calls waiting on a refused open, and the next call opens again", async () => {
    const { choice, opens } = chooser();
    const waiting = [choice.current(), choice.current()];
    opens[0]!.reject(new Error("refused"));
    for (const call of waiting) await expect(call).rejects.toThrow("refused");
    const next = choice.current();
    expect(opens).toHaveLength(2);
    opens[1]!.resolve();
    expect((await next).id).toBe(2);
  });

  it("opens a new session after the current one was lost", async () => {
    const { choice, opens } = chooser();
    const first = choice.current();
    opens[0]!.resolve();
    await first;
    choice.forget(opens[0]!.promise);
    const next = choice.current();
    opens[1]!.resolve();
    expect((await next).id).toBe(2);
  });

  it("ignores the loss of a session that was already replaced", async () => {
    const { choice, clock, opens } = chooser();
    const first = choice.current();
    opens[0]!.resolve(lease("a", 0, HOUR));
    await first;
    clock.now = HOUR - 1_000;
    const renewing = choice.current();
    await flush();
    opens[1]!.resolve(lease("b", clock.now, 2 * HOUR));
    expect((await renewing).id).toBe(2);
    choice.forget(opens[0]!.promise);
    expect((await choice.current()).id).toBe(2);
    expect(opens).toHaveLength(2);
  });

  it("before the token expires, the next call renews: a new session, the old one retired at its expiry", async () => {
    const { choice, clock, opens } = chooser();
    const first = choice.current();
    const old = opens[0]!.resolve(lease("a", 0, HOUR));
    await first;
    clock.now = HOUR - RENEW_BEFORE_MS - 1;
    expect((await choice.current()).id).toBe(1);
    expect(opens).toHaveLength(1);

    clock.now = HOUR - RENEW_BEFORE_MS;
    const renewing = choice.current();
    await flush();
    expect(opens).toHaveLength(2);
    // A call arriving meanwhile waits for the new session, not the one being replaced.
    const meanwhile = choice.current();
    opens[1]!.resolve(lease("b", clock.now, 2 * HOUR));
    expect((await renewing).id).toBe(2);
    expect((await meanwhile).id).toBe(2);
    expect(old.retiredAt).toBe(HOUR);
  });

  it("a failed renewal keeps the old session serving, and the next call tries again", async () => {
    const { choice, clock, opens } = chooser();
    const first = choice.current();
    const old = opens[0]!.resolve(lease("a", 0, HOUR));
    await first;
    clock.now = HOUR - 30_000;
    const renewing = choice.current();
    await flush();
    opens[1]!.reject(new Error("token source down"));
    expect((await renewing).id).toBe(1);
    expect(old.retiredAt).toBeUndefined();

    const retry = choice.current();
    await flush();
    expect(opens).toHaveLength(3);
    opens[2]!.resolve(lease("c", clock.now, 2 * HOUR));
    expect((await retry).id).toBe(3);
    expect(old.retiredAt).toBe(HOUR);
  });

  it("renews at most once per call, even when the new token is due at once", async () => {
    const { choice, clock, opens } = chooser();
    const first = choice.current();
    opens[0]!.resolve(lease("a", 0, 10_000));
    await first;
    clock.now = 9_000;
    const renewing = choice.current();
    await flush();
    opens[1]!.resolve(lease("b", 9_000, 9_500));
    expect((await renewing).id).toBe(2);
    expect(opens).toHaveLength(2);
  });

  it("never renews ahead a session without a token, or whose token's expiry is unknown", async () => {
    for (const opened of [undefined, lease("a", 0)]) {
      const { choice, clock, opens } = chooser();
      const first = choice.current();
      opens[0]!.resolve(opened);
      await first;
      clock.now = 10 * HOUR;
      expect((await choice.current()).id).toBe(1);
      expect(opens).toHaveLength(1);
    }
  });
});

describe("LinkWatch", () => {
  const bounds = { stallMs: 15_000, keepaliveMs: 30_000, httpHeadersMs: 100_000 };

  function watch() {
    const clock = { now: 1_000 };
    return { clock, link: new LinkWatch(bounds, () => clock.now) };
  }

  it("is checked often enough for both bounds", () => {
    expect(watch().link.period).toBe(5_000);
    expect(new LinkWatch({ ...bounds, keepaliveMs: 2_000 }, () => 0).period).toBe(2_000);
  });

  it("an idle session probes every keepaliveMs of silence, and traffic resets it", () => {
    const { clock, link } = watch();
    clock.now += bounds.keepaliveMs - 1;
    expect(link.check()).toBe("fine");
    link.heard();
    clock.now += bounds.keepaliveMs - 1;
    expect(link.check()).toBe("fine");
    clock.now += 1;
    expect(link.check()).toBe("probe");
  });

  it("a waiting call probes after a third of stallMs, once, and calls the link stalled at stallMs", () => {
    const { clock, link } = watch();
    // Long idle before the call: the silence that counts starts with it.
    clock.now += 10 * bounds.stallMs;
    link.begin();
    expect(link.check()).toBe("fine");
    clock.now += bounds.stallMs / 3;
    expect(link.check()).toBe("probe");
    link.probeSent();
    clock.now += 1;
    expect(link.check()).toBe("fine");
    clock.now += bounds.stallMs - bounds.stallMs / 3 - 1;
    expect(link.check()).toBe("stalled");
  });

  it("a slow method on a healthy link is never called stalled: the probe's answer resets the silence", () => {
    const { clock, link } = watch();
    link.begin();
    for (let round = 0; round < 10; round++) {
      clock.now += bounds.stallMs / 3;
      expect(link.check()).toBe("probe");
      link.probeSent();
      clock.now += 200;
      link.heard();
      link.probeSettled();
    }
    link.end();
    expect(link.check()).toBe("fine");
  });
});
