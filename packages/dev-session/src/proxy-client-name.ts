// The proxy-client Worker's name, one of its own per dev session. wrangler registers every Worker
// it runs, by name, in its dev registry, which is one folder for the whole machine; anything that
// looks a name up there (another project's `wrangler dev`, a framework's getPlatformProxy()) would
// otherwise reach whichever project's proxy client registered last, and with it that project's
// credentials and remote. A Worker that runs in the same wrangler or Vite process as its proxy
// client is bound to it directly (Miniflare resolves names it runs itself before the registry),
// so only the registry needs the names apart.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { PROXY_CLIENT_WORKER_NAME } from "@access-bridge/remote-bindings";

/** A name no other session has: `access-bridge-proxy-client-<8 hex digits>`. */
export function newProxyClientWorkerName(): string {
  return `${PROXY_CLIENT_WORKER_NAME}-${randomBytes(4).toString("hex")}`;
}

const namesByProject = new Map<string, string>();

/**
 * The name for the dev session of the project in `projectDir`, decided once per process. The
 * Vite plugin is set up again each time the dev server restarts, and the Cloudflare plugin
 * restarts it whenever a Worker's config file changes: a new name at each set-up would rewrite the
 * proxy client's config, and so restart the server again, for ever.
 */
export function sessionProxyClientWorkerName(projectDir: string): string {
  const key = path.resolve(projectDir);
  let name = namesByProject.get(key);
  if (name === undefined) {
    name = newProxyClientWorkerName();
    namesByProject.set(key, name);
  }
  return name;
}
