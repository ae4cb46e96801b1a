// Runs the storage scenarios of test/workers/storage-facades.worker.ts as tests: each once on the
// real binding, whose answer must match what the scenario expects, and once on each path through
// the facade and the adapter (called directly, and across a capnweb session), whose answer must
// equal the binding's, unless the scenario says how and why it differs.
import { itFailsBecause } from "@access-bridge/test-support/known-limitation";
import { describe, expect, it } from "vitest";
import { useUnitWorker } from "./start-unit-worker.js";

export interface Scenario {
  /** What the binding answers, as a subset (toMatchObject). */
  binding: unknown;
  /** What the facade answers where it is meant to differ from the binding (toMatchObject). */
  facade?: unknown;
  /**
   * A known defect: the facade should answer as above but does not. Its tests pass only while
   * they fail with `reason` (matched against the facade's answer as JSON): see itFailsBecause.
   */
  bug?: { what: string; reason: RegExp };
}

const PATHS = [
  { via: "facade", path: "called directly" },
  { via: "capnweb", path: "across a capnweb session" },
] as const;

export function storageScenarios(kind: "kv" | "r2" | "d1", scenarios: Record<string, Scenario>) {
  const names = [
    `${kind.toUpperCase()}_BINDING`,
    `${kind.toUpperCase()}_FACADE`,
    `${kind.toUpperCase()}_CAPNWEB`,
  ];
  const worker = useUnitWorker("storage-facades.worker.ts", {
    kvNamespaces: kind === "kv" ? names : [],
    r2Buckets: kind === "r2" ? names : [],
    d1Databases: kind === "d1" ? names : [],
  });
  const run = (scenario: string, via: string) =>
    worker.get(`/${kind}/${encodeURIComponent(scenario)}?via=${via}`);

  it("runs every scenario the worker has", async () => {
    expect(await worker.get(`/${kind}`)).toEqual(Object.keys(scenarios));
  });

  describe.each(Object.entries(scenarios))("%s", (name, scenario) => {
    let reference: Promise<unknown> | undefined;
    const binding = () => (reference ??= run(name, "binding"));

    it("the binding answers as expected", async () => {
      expect(await binding()).toMatchObject(scenario.binding as object);
    });

    for (const { via, path } of PATHS) {
      const title =
        scenario.facade === undefined
          ? `the facade, with the adapter ${path}, answers as the binding does`
          : `the facade, with the adapter ${path}, answers as it is meant to`;
      const check = async () => {
        const answer = await run(name, via);
        if (scenario.facade === undefined) expect(answer).toEqual(await binding());
        else expect(answer).toMatchObject(scenario.facade as object);
      };
      if (scenario.bug === undefined) it(title, check);
      else itFailsBecause(`${title} (bug: ${scenario.bug.what})`, scenario.bug.reason, check);
    }
  });
}
