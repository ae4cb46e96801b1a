// Timing from outside workerd: one binding call per request to the user worker, on a monotonic
// clock. The Node → workerd request is in every scenario, the floor included, so it cancels out
// of the ratios.
import { Readable } from "node:stream";
import { Pool } from "undici";
import type { CallPath } from "./topology.js";

export type { CallPath };

export class Caller {
  readonly #pools = new Map<string, Pool>();

  /** `urlFor(binding)`: the local Miniflare whose user worker holds the binding. */
  constructor(private readonly urlFor: (binding: string) => URL) {}

  #pool(binding: string): Pool {
    const origin = this.urlFor(binding).origin;
    let pool = this.#pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(origin, { connections: 64, pipelining: 1 });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  /**
   * One binding call (a route of workers/user-worker.js); answers its duration in ms. Throws
   * when the call went wrong.
   */
  async call(path: CallPath | "kv" | "r2small", binding: string): Promise<number> {
    const start = performance.now();
    const response = await this.#pool(binding).request({
      method: "GET",
      path: `/${path}?binding=${binding}`,
    });
    const text = await response.body.text();
    const elapsed = performance.now() - start;
    if (response.statusCode !== 200 || text !== "ok") {
      throw new Error(`${path} call on ${binding} failed: ${response.statusCode} ${text}`);
    }
    return elapsed;
  }

  /**
   * One large body through a binding (see the user worker's /r2, /ai and /bytes routes), read and
   * dropped as it arrives; answers the bytes read, or, for a PUT, the size the binding reported.
   */
  async stream(
    route: string,
    options: {
      method?: "GET" | "PUT";
      body?: AsyncIterable<Uint8Array>;
      length?: number;
      /** Called once, awaited, when the first `after` bytes of the answer were read. */
      pause?: { after: number; run: () => Promise<void> };
    } = {},
  ): Promise<number> {
    const binding = new URLSearchParams(route.split("?")[1]).get("binding") ?? "";
    const response = await this.#pool(binding).request({
      method: options.method ?? "GET",
      path: route,
      ...(options.body === undefined
        ? {}
        : {
            body: Readable.from(options.body),
            headers: { "content-length": String(options.length) },
          }),
    });
    if (response.statusCode !== 200) {
      throw new Error(`${route} failed: ${response.statusCode} ${await response.body.text()}`);
    }
    if (options.method === "PUT") return Number(await response.body.text());
    let bytes = 0;
    let pause = options.pause;
    for await (const chunk of response.body) {
      bytes += (chunk as Buffer).length;
      if (pause !== undefined && bytes >= pause.after) {
        await pause.run();
        pause = undefined;
      }
    }
    return bytes;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((pool) => pool.close()));
  }
}

export interface Latency {
  p50: number;
  p95: number;
  samples: number;
}

export function percentiles(times: number[]): Latency {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: round(at(0.5)), p95: round(at(0.95)), samples: sorted.length };
}

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export async function measureTime<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await run();
  return { value, ms: performance.now() - start };
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export interface Throughput {
  /** Calls that answered correctly, per second. */
  callsPerSecond: number;
  failed: number;
  firstError?: string;
}

/** Calls per second with `concurrency` callers in a closed loop for `durationMs`. */
export async function throughput(
  caller: Caller,
  path: CallPath,
  binding: string,
  concurrency: number,
  durationMs: number,
): Promise<Throughput> {
  let ok = 0;
  const result: Omit<Throughput, "callsPerSecond"> = { failed: 0 };
  const start = performance.now();
  const deadline = start + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        try {
          await caller.call(path, binding);
          ok++;
        } catch (error) {
          result.failed++;
          result.firstError ??= firstLine(error);
        }
      }
    }),
  );
  return { callsPerSecond: Math.round(ok / ((performance.now() - start) / 1000)), ...result };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

export interface ManyCalls {
  ok: number;
  failed: number;
  /** The first failure, when there was one. */
  firstError?: string;
}

/** `count` calls, alternating RPC and HTTP, `concurrency` at a time; failures are counted. */
export async function callMany(
  caller: Caller,
  binding: string,
  count: number,
  concurrency: number,
): Promise<ManyCalls> {
  const result: ManyCalls = { ok: 0, failed: 0 };
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        try {
          await caller.call(index % 2 === 0 ? "rpc" : "http", binding);
          result.ok++;
        } catch (error) {
          result.failed++;
          result.firstError ??= `call ${index + 1}: ${firstLine(error)}`;
        }
      }
    }),
  );
  return result;
}
