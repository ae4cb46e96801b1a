// `npm run bench -- --chain-split` splits a call's time at the link's local end. The split means
// something only if each remote call's chunks were seen on both sides of it: out and back are
// local work (short), and the link part holds the round trip.
import { describe, expect, it } from "vitest";
import { formatChainSplit, measureChainSplit } from "../src/chain-split.js";

describe("npm run bench -- --chain-split", () => {
  it(
    "splits the warm call and the chain into local work and the link",
    { timeout: 120_000 },
    async () => {
      const split = await measureChainSplit(10, 5);
      expect(split.rows.map((row) => row.path)).toEqual(["rpc", "chain"]);
      for (const row of split.rows) {
        expect(row.out).toBeGreaterThan(0);
        expect(row.back).toBeGreaterThan(0);
        expect(row.out + row.back).toBeLessThan(row.link);
        // The link holds the delay proxy's round trip (less 10%: timers may fire early).
        expect(row.link).toBeGreaterThanOrEqual(split.rttMs * 0.9);
      }
      expect(formatChainSplit(split)).toContain("| chain |");
    },
  );
});
