// The proxy client in a `wrangler dev` of its own, so that the dev registry makes it reachable
// from every getPlatformProxy() of the machine (wrangler's registers each Worker it runs, and
// getPlatformProxy() resolves service bindings to Workers of other processes through it, props
// and RPC intact). Its credentials reach that process only, as variables named like its vars.
import { spawn, type ChildProcess } from "node:child_process";
import type { ProjectWrangler } from "@access-bridge/dev-session";
import { CREDENTIAL_SOURCES } from "@access-bridge/remote-bindings";
import { PlatformProxyError } from "./errors.js";

export interface ProxyClientProcess {
  /** The address its `wrangler dev` serves (not needed by the bindings: they use the registry). */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const READY = /Ready on (http:\/\/\S+)/;
/** What is kept of wrangler's output, to explain a failed start. */
const KEPT_LINES = 30;
const STOP_GRACE_MS = 5_000;

/** The environment of the proxy client's wrangler: no CLOUDFLARE_ACCESS_*, its own vars instead. */
export function proxyClientEnvironment(
  base: NodeJS.ProcessEnv,
  secretVariables: Record<string, string>,
): NodeJS.ProcessEnv {
  const env = { ...base };
  for (const source of Object.values(CREDENTIAL_SOURCES)) delete env[source];
  // A framework's own setting must not reach this wrangler (it would load the hooks again).
  delete env.NODE_OPTIONS;
  return { ...env, ...secretVariables };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGINT");
  });
}

export async function startProxyClientProcess(options: {
  wrangler: ProjectWrangler;
  clientConfig: string;
  environment: string | undefined;
  env: NodeJS.ProcessEnv;
}): Promise<ProxyClientProcess> {
  const args = [
    options.wrangler.bin,
    "dev",
    "-c",
    options.clientConfig,
    "--ip",
    "127.0.0.1",
    "--port",
    "0",
    "--inspector-port",
    "0",
    "--show-interactive-dev-session=false",
    ...(options.environment === undefined ? [] : ["--env", options.environment]),
  ];
  const child = spawn(process.execPath, args, {
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Should this process end without stop() (an uncaught error), the proxy client ends with it.
  const onExit = () => child.kill("SIGKILL");
  process.once("exit", onExit);
  const kept: string[] = [];
  const keep = (chunk: Buffer) => {
    kept.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    kept.splice(0, Math.max(0, kept.length - KEPT_LINES));
  };
  child.stderr!.on("data", keep);
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      keep(chunk);
      const ready = READY.exec(chunk.toString("utf8"));
      if (ready) resolve(ready[1]!);
    });
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      reject(
        new PlatformProxyError(
          "ERR_PROXY_CLIENT",
          `The proxy client's wrangler dev (wrangler ${options.wrangler.version}) exited (${signal ?? `code ${code}`}) before it was ready. Its last lines:\n${kept.join("\n")}`,
        ),
      ),
    );
  }).catch(async (error: unknown) => {
    process.removeListener("exit", onExit);
    await stopChild(child);
    throw error;
  });
  // Drained from now on, so that a full pipe never stalls it.
  child.stdout!.on("data", () => {});
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      process.removeListener("exit", onExit);
      await stopChild(child);
    },
  };
}
