// Everything one bench run starts, on 127.0.0.1: two "remote" workerd processes (the proxy server
// alone, and the proxy server behind the Access emulator), a delay proxy in front of each, the
// Node hop of scenario 4, and the local Miniflare whose user worker holds one binding per
// scenario.
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startAccessEmulator, type AccessEmulator } from "@access-bridge/access-emulator";
import { proxyServerScriptPath, remoteBindings } from "@access-bridge/remote-bindings";
import {
  convertV4MiniflareOptions,
  Miniflare,
  type RemoteProxyConnectionString,
  type V4WorkerOptions as WorkerOptions,
} from "miniflare";
import { startLink, type Link } from "./link-process.js";

const workersDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "workers");
const COMPATIBILITY_DATE = "2026-04-01";

/** What one call does (a route of workers/user-worker.js). */
export type CallPath = "rpc" | "http" | "chain" | "d1";

/**
 * The binding each scenario's calls go through, in the user worker's env (D1 calls go to
 * `<binding>_DB`), and which calls it measures besides RPC and HTTP: the dependent chain
 * wherever a service binding can make it, D1 where there is a D1 binding (the floor's is local).
 */
export const SCENARIOS = [
  {
    id: "floor",
    binding: "FLOOR",
    label: "1 floor: local binding, no network",
    paths: ["rpc", "http", "chain", "d1"],
  },
  {
    id: "plain",
    binding: "PLAIN",
    label: "2 proxy client, no Access",
    paths: ["rpc", "http", "chain", "d1"],
  },
  // A control: the same as (2) with the service token headers sent (nobody checks them), so that
  // (2b)/(2) is what the client itself spends on auth, apart from any Access in front.
  {
    id: "token",
    binding: "TOKEN",
    label: "2b proxy client + token, no Access",
    paths: ["rpc", "http"],
  },
  {
    id: "access",
    binding: "ACCESS",
    label: "3 proxy client + Access (service token)",
    paths: ["rpc", "http", "chain"],
  },
  {
    id: "hop",
    binding: "HOP",
    label: "4 Miniflare client + Node hop + Access",
    paths: ["rpc", "http", "chain"],
  },
] as const satisfies readonly {
  id: string;
  binding: string;
  label: string;
  paths: readonly CallPath[];
}[];
export type ScenarioId = (typeof SCENARIOS)[number]["id"];

/** The binding a call of `path` goes through in `scenario`. */
export function bindingFor(scenario: { binding: string }, path: CallPath): string {
  return path === "d1" ? `${scenario.binding}_DB` : scenario.binding;
}

export const benchService = (name: string): WorkerOptions => ({
  name,
  modulesRoot: workersDir,
  modules: [
    { type: "ESModule", path: path.join(workersDir, "rpc-service.js") },
    { type: "ESModule", path: path.join(workersDir, "generated-stream.js") },
  ],
  compatibilityDate: COMPATIBILITY_DATE,
});

// Miniflare's client sends its local binding name as MF-Binding, so the remote knows the service
// under the hop's name too. A wrapper module adds the Workers AI stand-in to the env.
export const proxyServer = {
  name: "proxy-server",
  modulesRoot: workersDir,
  modules: [
    { type: "ESModule", path: path.join(workersDir, "proxy-server-with-ai.js") },
    { type: "ESModule", path: path.join(workersDir, "generated-stream.js") },
    {
      type: "ESModule",
      path: path.join(workersDir, "proxy-server.worker.js"),
      contents: readFileSync(proxyServerScriptPath, "utf8"),
    },
  ],
  compatibilityDate: COMPATIBILITY_DATE,
  serviceBindings: { API: "bench-service", HOP: "bench-service" },
  d1Databases: ["DB"],
  r2Buckets: ["R2"],
} as WorkerOptions;

/** PIDs of workerd processes started by this Node process. */
export function workerdPids(): Set<number> {
  const pids = new Set<number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (Number(fields[1]) === process.pid && comm.startsWith("workerd")) pids.add(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

export interface ProcessUsage {
  rssMiB: number;
  sockets: number;
}

/** Starts measuring the peak RSS of `pids` afresh (Linux: clear_refs 5 resets VmHWM). */
export function resetPeakRss(pids: Iterable<number>): void {
  for (const pid of pids) writeFileSync(`/proc/${pid}/clear_refs`, "5");
}

/** RSS now and the peak since resetPeakRss(), summed over `pids`, in MiB. */
export function rssOf(pids: Iterable<number>): { rssMiB: number; peakMiB: number } {
  let rss = 0;
  let peak = 0;
  for (const pid of pids) {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    rss += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    peak += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  const mib = (kib: number) => Math.round((kib / 1024) * 10) / 10;
  return { rssMiB: mib(rss), peakMiB: mib(peak) };
}

/**
 * RSS and open sockets of `pids`; undefined when /proc cannot be read, which happens when the
 * bench process itself ran out of file descriptors (scenario 4 leaks a socket per RPC call).
 */
export function processUsage(pids: Iterable<number>): ProcessUsage | undefined {
  let rssKiB = 0;
  let sockets = 0;
  try {
    for (const pid of pids) {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      rssKiB += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        try {
          if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith("socket:")) sockets++;
        } catch {
          // Closed while we looked.
        }
      }
    }
  } catch {
    return undefined;
  }
  return { rssMiB: Math.round((rssKiB / 1024) * 10) / 10, sockets };
}

async function startWithPids<T>(start: () => Promise<T>): Promise<{ value: T; pids: number[] }> {
  const before = workerdPids();
  const value = await start();
  return { value, pids: [...workerdPids()].filter((pid) => !before.has(pid)) };
}

export interface Remote<T> {
  server: T;
  /** The scenario's network link (a delay proxy in a child process) in front of it. */
  proxy: Link;
  pids: number[];
}

/**
 * Scenario 4 gets an emulator, a link and (in startLocal) a local workerd of its own: Miniflare's
 * client leaves a WebSocket open per RPC call, and sharing processes with it would charge its
 * sockets and memory to the other scenarios. Its link's URL is the Node hop's.
 */
export interface Remotes {
  plain: Remote<Miniflare>;
  token: Remote<Miniflare>;
  access: Remote<AccessEmulator>;
  hop: Remote<AccessEmulator>;
  credentials: { clientId: string; clientSecret: string };
  close(): Promise<void>;
}

const startEmulator = () =>
  startWithPids(() =>
    startAccessEmulator({
      origin: { worker: proxyServer, extraWorkers: [benchService("bench-service")] },
      application: { type: "service_auth_only" },
    }),
  );

export async function startRemotes(rttMs: number): Promise<Remotes> {
  const plain = await startWithPids(async () => {
    const mf = new Miniflare(
      convertV4MiniflareOptions({
        cf: false,
        host: "127.0.0.1",
        port: 0,
        workers: [proxyServer, benchService("bench-service")],
      }),
    );
    return { mf, url: await mf.ready };
  });
  const access = await startEmulator();
  const hopRemote = await startEmulator();
  const credentials = access.value.createServiceToken();
  const hopCredentials = hopRemote.value.createServiceToken();
  const [plainLink, tokenLink, accessLink, hopLink] = await Promise.all([
    startLink({ target: plain.value.url.href, rttMs }),
    startLink({ target: plain.value.url.href, rttMs }),
    startLink({ target: access.value.url, rttMs }),
    startLink({
      target: hopRemote.value.url,
      rttMs,
      hopHeaders: {
        "CF-Access-Client-Id": hopCredentials.clientId,
        "CF-Access-Client-Secret": hopCredentials.clientSecret,
      },
    }),
  ]);
  const links = [plainLink, tokenLink, accessLink, hopLink];
  return {
    plain: { server: plain.value.mf, proxy: plainLink, pids: plain.pids },
    token: { server: plain.value.mf, proxy: tokenLink, pids: plain.pids },
    access: { server: access.value, proxy: accessLink, pids: access.pids },
    hop: { server: hopRemote.value, proxy: hopLink, pids: hopRemote.pids },
    credentials,
    async close() {
      await Promise.all(links.map((link) => link.close()));
      await Promise.all([
        plain.value.mf.dispose(),
        access.value.dispose(),
        hopRemote.value.dispose(),
      ]);
    },
  };
}

export interface Local {
  /** Where the user worker that holds `binding` listens. */
  urlFor(binding: string): URL;
  /** PIDs of the local workerd that serves `binding`. */
  pidsFor(binding: string): number[];
  dispose(): Promise<void>;
}

async function startUserWorker(
  workers: WorkerOptions[],
  shared: { resourcePersistencePath?: string } = {},
): Promise<{ mf: Miniflare; url: URL; pids: number[] }> {
  const { value: mf, pids } = await startWithPids(async () => {
    const mf = new Miniflare(
      convertV4MiniflareOptions({ cf: false, host: "127.0.0.1", port: 0, workers, ...shared }),
    );
    await mf.ready;
    return mf;
  });
  return { mf, url: await mf.ready, pids };
}

const userWorker = (
  serviceBindings: WorkerOptions["serviceBindings"],
  local: { d1Databases?: string[]; r2Buckets?: string[] } = {},
): WorkerOptions => ({
  name: "user-worker",
  modules: true,
  scriptPath: path.join(workersDir, "user-worker.js"),
  compatibilityDate: COMPATIBILITY_DATE,
  serviceBindings,
  ...local,
});

export interface LocalOptions {
  /** Where the floor's local R2 keeps its objects, so that a later local instance finds them. */
  r2Persist?: string;
}

export async function startLocal(remotes: Remotes, options: LocalOptions = {}): Promise<Local> {
  const warn = (message: string) => console.warn(message);
  const plain = remoteBindings({
    remoteUrl: remotes.plain.proxy.url,
    bindings: {
      PLAIN: { type: "service", remoteName: "API" },
      PLAIN_DB: { type: "d1", remoteName: "DB" },
      PLAIN_R2: { type: "r2", remoteName: "R2" },
      PLAIN_AI: { type: "ai", remoteName: "AI" },
    },
    credentials: null,
    onWarning: warn,
  });
  const token = remoteBindings({
    remoteUrl: remotes.token.proxy.url,
    bindings: { TOKEN: { type: "service", remoteName: "API" } },
    credentials: remotes.credentials,
    onWarning: warn,
  });
  const access = remoteBindings({
    remoteUrl: remotes.access.proxy.url,
    bindings: { ACCESS: { type: "service", remoteName: "API" } },
    credentials: remotes.credentials,
    onWarning: warn,
  });
  const main = await startUserWorker(
    [
      // The floor's D1 and R2 are local bindings of the same kind.
      access.apply(
        token.apply(
          plain.apply(
            userWorker(
              { FLOOR: "bench-service" },
              { d1Databases: ["FLOOR_DB"], r2Buckets: ["FLOOR_R2"] },
            ),
          ),
        ),
      ),
      benchService("bench-service"),
      ...plain.workers,
      ...token.workers,
      ...access.workers,
    ],
    options.r2Persist === undefined ? {} : { resourcePersistencePath: options.r2Persist },
  );
  const hop = await startUserWorker([
    userWorker({
      HOP: {
        name: "bench-service",
        remoteProxyConnectionString: new URL(remotes.hop.proxy.url) as RemoteProxyConnectionString,
      },
    }),
  ]);
  return {
    urlFor: (binding) => (binding === "HOP" ? hop.url : main.url),
    pidsFor: (binding) => (binding === "HOP" ? hop.pids : main.pids),
    async dispose() {
      await Promise.all([main.mf.dispose(), hop.mf.dispose()]);
    },
  };
}
