// The parent side of network-link.ts: bundles it for Node once, forks it, and asks it for its
// connection counts over IPC.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { LinkConfig, LinkReply, LinkRequest } from "./network-link.js";

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
let bundled: Promise<string> | undefined;

function bundle(): Promise<string> {
  bundled ??= (async () => {
    const outfile = path.join(benchDir, "dist", "network-link.mjs");
    await build({
      entryPoints: [path.join(benchDir, "src", "network-link.ts")],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      logLevel: "warning",
    });
    return outfile;
  })();
  return bundled;
}

export interface Link {
  /** Where the local side connects: the delay proxy, or the hop in front of it. */
  readonly url: string;
  /** TCP connections open through the link right now. */
  openConnections(): Promise<number>;
  /** Resets every connection open through the link (see DelayProxy.drop). */
  drop(): void;
  close(): Promise<void>;
}

export async function startLink(config: LinkConfig): Promise<Link> {
  const child: ChildProcess = fork(await bundle(), {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let nextId = 0;
  const pending = new Map<number, (reply: LinkReply & { type: "stats" }) => void>();
  const ready = new Promise<string>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the network link exited with ${code}`)));
    child.on("message", (reply: LinkReply) => {
      if (reply.type === "ready") resolve(reply.url);
      else pending.get(reply.id)?.(reply);
    });
  });
  child.send(config);
  const url = await ready;
  const ask = (request: LinkRequest) => child.send(request);
  return {
    url,
    openConnections() {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, (reply) => {
          pending.delete(id);
          resolve(reply.openConnections);
        });
        ask({ type: "stats", id });
      });
    },
    drop() {
      ask({ type: "drop" });
    },
    async close() {
      if (child.exitCode === null) ask({ type: "close" });
      await exited;
    },
  };
}
