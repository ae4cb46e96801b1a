import { fileURLToPath } from "node:url";
import { RELAY_WORKER_SCRIPT_PATH } from "@access-bridge/auth-relay";
import { WORKERS_COMPATIBILITY_DATE } from "@access-bridge/conventions";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { onTestFinished } from "vitest";
import { bundleTestWorker } from "./bundle-test-worker.js";

export const CONSENT_GRANTED_URL = "https://consent.example/granted";
export const CONSENT_DENIED_URL = "https://consent.example/denied";

const PROBE_ENTRY = fileURLToPath(new URL("./relay-probe.worker.js", import.meta.url));
let probeScript: Promise<string> | undefined;

export interface StartedRelay {
  mf: Miniflare;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  constructions(): Promise<number>;
  storage(state: string): Promise<{ keys: string[]; alarm: number | null }>;
}

/** The shipped relay bundle in workerd, wrapped by the probe; disposed when the test ends. */
export async function startRelay(options: { ttlSeconds?: number } = {}): Promise<StartedRelay> {
  probeScript ??= bundleTestWorker(PROBE_ENTRY, { "shipped-relay": RELAY_WORKER_SCRIPT_PATH });
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      cf: false,
      host: "127.0.0.1",
      port: 0,
      compatibilityDate: WORKERS_COMPATIBILITY_DATE,
      modules: [{ type: "ESModule", path: "relay-probe.js", contents: await probeScript }],
      durableObjects: { AUTH_SESSION: { className: "ProbedAuthSession", useSQLite: true } },
      bindings: {
        CONSENT_GRANTED_URL,
        CONSENT_DENIED_URL,
        ...(options.ttlSeconds === undefined
          ? {}
          : { SESSION_TTL_SECONDS: String(options.ttlSeconds) }),
      },
    }),
  );
  onTestFinished(() => mf.dispose());
  const origin = (await mf.ready).origin;
  return {
    mf,
    origin,
    async constructions() {
      const response = await fetch(`${origin}/__probe/constructions`);
      return ((await response.json()) as { constructions: number }).constructions;
    },
    async storage(state) {
      const response = await fetch(`${origin}/__probe/storage/${state}`);
      return (await response.json()) as { keys: string[]; alarm: number | null };
    },
  };
}
