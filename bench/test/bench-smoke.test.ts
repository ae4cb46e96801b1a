// CI runs the bench in quick mode so that it cannot rot. It checks that every scenario ran and
// every call answered correctly (the caller throws otherwise) and that the proxy client does not
// leave connections behind; the numbers themselves are read from `npm run bench`, never asserted.
import { describe, expect, it } from "vitest";
import { formatReport } from "../src/report.js";
import { QUICK, runBench } from "../src/run-bench.js";
import { SCENARIOS } from "../src/topology.js";

describe("npm run bench -- --quick", () => {
  it(
    "measures the four scenarios at RTT 0 and 10 ms and prints the ratios",
    { timeout: 120_000 },
    async () => {
      const results = await runBench(QUICK);
      expect(results.runs.map((run) => run.rttMs)).toEqual([0, 10]);
      for (const run of results.runs) {
        for (const { id } of SCENARIOS) {
          for (const path of ["rpc", "http"] as const) {
            const result = run.scenarios[id][path];
            expect(result.samples).toBe(QUICK.samples);
            expect(result.p50).toBeGreaterThan(0);
            expect(Object.keys(result.callsPerSecond)).toEqual(QUICK.concurrencies.map(String));
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
      expect(results.ratios).toHaveLength(4);
      const report = formatReport(results);
      expect(report).toContain("auth overhead (3)/(2)");
      expect(report).toContain("round trips per call");
    },
  );
});
