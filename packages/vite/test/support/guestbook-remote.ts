// The guestbook's remote, started on its own as a deployment would be: the proxy server with
// the D1 database and the greeter service, behind the Access emulator. The greeter says which
// deployment it is (SERVED_BY), and a SEED service of the same remote fills the database, so a
// page that shows both read them through the remote bindings.
import path from "node:path";
import {
  startAccessEmulator,
  type AccessEmulator,
  type ServiceToken,
} from "@access-bridge/access-emulator";
import { proxyServerWorker } from "@access-bridge/remote-bindings";
import { build } from "esbuild";
import { EXAMPLE_DIR } from "./example-project.js";

export interface SeedEntry {
  author: string;
  message: string;
}

export interface GuestbookRemote {
  access: AccessEmulator;
  url: string;
  token: ServiceToken;
  /** Adds entries to the remote database, through the proxy server, as any binding call would. */
  seed(entries: SeedEntry[]): Promise<void>;
  /** The entries in the remote database, read the same way. */
  entries(): Promise<SeedEntry[]>;
  dispose(): Promise<void>;
}

// The example's table (src/worker/guestbook.ts), for a database the example has not touched yet.
const SEED_WORKER = `
export default {
  async fetch(request, env) {
    if (request.method === "GET") {
      const { results } = await env.DB.prepare("SELECT author, message FROM entries ORDER BY id").all();
      return Response.json(results);
    }
    await env.DB.prepare(
      "CREATE TABLE IF NOT EXISTS entries (id INTEGER PRIMARY KEY AUTOINCREMENT, author TEXT NOT NULL, message TEXT NOT NULL, created_at TEXT NOT NULL DEFAULT (datetime('now')))",
    ).run();
    const entries = await request.json();
    await env.DB.batch(
      entries.map(({ author, message }) =>
        env.DB.prepare("INSERT INTO entries (author, message) VALUES (?, ?)").bind(author, message),
      ),
    );
    return new Response("seeded");
  },
};
`;

const DATABASE_ID = "guestbook-remote";

/** The wire protocol's HTTP path: MF-Binding names the binding, MF-URL the request's URL. */
async function callSeed(url: string, token: ServiceToken, init: RequestInit): Promise<Response> {
  const response = await fetch(url, {
    ...init,
    headers: {
      "MF-Binding": "SEED",
      "MF-URL": "http://seed/",
      "CF-Access-Client-Id": token.clientId,
      "CF-Access-Client-Secret": token.clientSecret,
    },
  });
  if (!response.ok) throw new Error(`SEED answered ${response.status}: ${await response.text()}`);
  return response;
}

export async function startGuestbookRemote(options: {
  servedBy: string;
}): Promise<GuestbookRemote> {
  const greeter = await build({
    entryPoints: [path.join(EXAMPLE_DIR, "src/greeter/index.ts")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    external: ["cloudflare:*"],
    logLevel: "silent",
  });
  const access = await startAccessEmulator({
    origin: {
      worker: proxyServerWorker({
        d1Databases: { DB: DATABASE_ID },
        serviceBindings: { GREETER: "guestbook-greeter", SEED: "seed" },
      }),
      extraWorkers: [
        {
          name: "guestbook-greeter",
          modules: [
            { type: "ESModule", path: "greeter.js", contents: greeter.outputFiles[0]!.text },
          ],
          compatibilityDate: "2026-04-01",
          bindings: { SERVED_BY: options.servedBy },
        },
        {
          name: "seed",
          modules: [{ type: "ESModule", path: "seed.js", contents: SEED_WORKER }],
          compatibilityDate: "2026-04-01",
          d1Databases: { DB: DATABASE_ID },
        },
      ],
    },
    application: { type: "service_auth_only" },
  });
  const token = access.createServiceToken();
  return {
    access,
    url: access.url,
    token,
    async seed(entries) {
      await callSeed(access.url, token, { method: "POST", body: JSON.stringify(entries) });
    },
    async entries() {
      return (await (await callSeed(access.url, token, { method: "GET" })).json()) as SeedEntry[];
    },
    dispose: () => access.dispose(),
  };
}
