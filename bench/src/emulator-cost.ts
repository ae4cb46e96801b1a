// What the Access emulator itself costs per gated request, apart from any client: the same
// proxied fetch() sent straight from Node to the proxy server, and to the emulator in front of
// it with a service token, no delay. The difference is the gate's hop plus its question to the
// Node-side authority (a Node-function service binding), which real Access does not have. The
// first request of each, on remotes that have answered none yet, is kept apart: what the
// emulator adds to a first request beyond its cost per request is what a cold first call through
// Access pays for the emulator being cold.
import { Pool } from "undici";
import { percentiles, round } from "./measure.js";
import type { Remotes } from "./topology.js";

export interface EmulatorCost {
  directP50Ms: number;
  throughEmulatorP50Ms: number;
  /** The p50 difference: what the emulator adds to every gated request. */
  perRequestMs: number;
  /** The first request of each (a fresh proxy server both ways; one sample, so noisy). */
  firstRequest?: { directMs: number; throughEmulatorMs: number };
}

export async function measureEmulatorCost(
  remotes: Remotes,
  samples: number,
): Promise<EmulatorCost> {
  const targets = [
    { origin: (await remotes.plain.server.ready).origin, headers: {} },
    {
      origin: remotes.access.server.url,
      headers: {
        "CF-Access-Client-Id": remotes.credentials.clientId,
        "CF-Access-Client-Secret": remotes.credentials.clientSecret,
      },
    },
  ];
  const pools = targets.map(({ origin }) => new Pool(origin, { connections: 1 }));
  const times: number[][] = [[], []];
  const first: number[] = [];
  try {
    const warmup = Math.min(50, samples);
    for (let i = 0; i < samples + warmup; i++) {
      for (const [index, { headers }] of targets.entries()) {
        const start = performance.now();
        const response = await pools[index].request({
          method: "POST",
          path: "/",
          headers: { "MF-Binding": "API", "MF-URL": "http://bench.example/echo", ...headers },
          body: "payload",
        });
        if ((await response.body.text()) !== "payload") throw new Error("wrong answer");
        if (i === 0) first.push(performance.now() - start);
        if (i >= warmup) times[index].push(performance.now() - start);
      }
    }
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
  }
  const direct = percentiles(times[0]).p50;
  const through = percentiles(times[1]).p50;
  return {
    directP50Ms: direct,
    throughEmulatorP50Ms: through,
    perRequestMs: round(through - direct),
    firstRequest: { directMs: round(first[0]), throughEmulatorMs: round(first[1]) },
  };
}
