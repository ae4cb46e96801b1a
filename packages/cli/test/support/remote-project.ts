// A wrangler project for `access-bridge remote`: one remote binding of each kind the remote can
// stand in for (a service with its stand-in's code), and one it cannot (Workers AI).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export const REMOTE_PROJECT_BINDINGS = [
  { name: "CACHE", type: "kv", section: "kv_namespaces", standIn: true },
  { name: "FILES", type: "r2", section: "r2_buckets", standIn: true },
  { name: "DB", type: "d1", section: "d1_databases", standIn: true },
  { name: "JOBS", type: "queue", section: "queues.producers", standIn: true },
  { name: "API", type: "service", section: "services", standIn: true },
  { name: "AI", type: "ai", section: "ai", standIn: false },
];

/** Writes the project into `dir`; returns the path of its wrangler.jsonc. */
export function writeRemoteProject(dir: string): string {
  mkdirSync(path.join(dir, "api"), { recursive: true });
  writeFileSync(
    path.join(dir, "wrangler.jsonc"),
    JSON.stringify({
      name: "remote-project",
      main: "index.js",
      compatibility_date: "2026-05-01",
      kv_namespaces: [{ binding: "CACHE", id: "cache", remote: true }],
      r2_buckets: [{ binding: "FILES", bucket_name: "files", remote: true }],
      d1_databases: [{ binding: "DB", database_name: "db", database_id: "db", remote: true }],
      queues: { producers: [{ binding: "JOBS", queue: "jobs", remote: true }] },
      services: [{ binding: "API", service: "api", remote: true }],
      ai: { binding: "AI" },
    }),
  );
  writeFileSync(path.join(dir, "index.js"), "export default { fetch: () => new Response('') };\n");
  writeFileSync(
    path.join(dir, "access-bridge.jsonc"),
    JSON.stringify({ embeddedRemote: { services: { api: "./api/index.ts" } } }),
  );
  writeFileSync(
    path.join(dir, "api", "index.ts"),
    `import { WorkerEntrypoint } from "cloudflare:workers";
export default class Api extends WorkerEntrypoint {
  override fetch(request: Request) {
    return new Response("api: " + new URL(request.url).pathname);
  }
  greet(name: string) {
    return "hello " + name;
  }
}
`,
  );
  return path.join(dir, "wrangler.jsonc");
}
