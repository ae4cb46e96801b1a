// CI runs the bench in quick mode so that it cannot rot. It checks that every scenario ran and
// every call answered correctly (the caller throws otherwise) and that the proxy client does not
// leave connections behind; the numbers themselves are read from `npm run bench`, never asserted.
import { describe, expect, it } from "vitest";
import { goalsOf } from "../src/goals.js";
import { formatReport } from "../src/report.js";
import { QUICK, runBench } from "../src/run-bench.js";
import { SCENARIOS } from "../src/topology.js";

describe("npm run bench -- --quick", () => {
  it(
    "measures the scenarios (RPC, HTTP, the dependent chain, D1, large bodies) at RTT 0 and 10 ms and prints the ratios",
    { timeout: 480_000 },
    async () => {
      const results = await runBench(QUICK);
      expect(results.runs.map((run) => run.rttMs)).toEqual([0, 10]);
      for (const run of results.runs) {
        for (const { id, paths } of SCENARIOS) {
          for (const path of paths) {
            const result = run.scenarios[id][path]!;
            expect(result.samples).toBe(QUICK.samples);
            expect(result.failedCalls).toBe(0);
            // Every call but the floor's crosses the simulated link, which delays it by the RTT
            // at least once: a faster call means the link was bypassed and the ratios are void
            // (less 10%: timers may fire a millisecond early).
            if (id !== "floor") expect(result.p50).toBeGreaterThanOrEqual(run.rttMs * 0.9);
            expect(result.p95).toBeGreaterThanOrEqual(result.p50);
            if (path === "rpc" || path === "http") {
              expect(Object.keys(result.callsPerSecond!)).toEqual(QUICK.concurrencies.map(String));
            }
          }
        }
        // One RPC session and a keep-alive pool: connections are bounded by the concurrency of the
        // calls (32, plus the session and a few being replaced), not by their number. Before the
        // shared session, every RPC call left its WebSocket open: half of these calls are RPC.
        for (const id of ["plain", "token", "access"] as const) {
          const { calls, before, after } = run.resources[id];
          expect(calls).toEqual({ ok: QUICK.resourceCalls, failed: 0 });
          expect(after.networkConnections! - before.networkConnections!).toBeLessThanOrEqual(40);
          // Disposing Miniflare closes the sessions.
          expect(run.openAfterDispose[id]).toBe(0);
        }
      }
      // The large bodies passed whole (the bench checks their length) at RTT 0.
      expect(results.runs[0].largeBodies?.map((body) => body.bytes)).toEqual(
        Array(8).fill(QUICK.largeBodyBytes),
      );
      expect(results.ratios).toHaveLength(4);
      expect(results.extraRatios).toHaveLength(1);
      // Every goal of issue 23 but start-up (a run of its own) is read from the one run.
      const goals = goalsOf(results);
      expect(goals.map((goal) => goal.what.split(",")[0].split(":")[0])).toEqual([
        "R2 get",
        "R2 get",
        "R2 put (a stream of known length)",
        "R2 put",
        "AI run",
        "AI run",
        "dependent chain getCounter().increment()",
        "first RPC call on a cold binding",
        "first RPC call on a cold binding",
      ]);
      for (const goal of goals) expect(Number.isFinite(goal.ratio)).toBe(true);
      const report = formatReport(results, goals);
      expect(report).toContain("auth overhead (3)/(2)");
      expect(report).toContain("round trips per call");
      expect(report).toContain("Goals (issue 23)");
      // The emulator's first gated request is measured apart from its cost per request.
      expect(results.emulatorCost.firstRequest?.throughEmulatorMs).toBeGreaterThan(0);
      expect(report).toContain("The first request of each");
    },
  );
});
