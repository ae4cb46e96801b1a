// The guestbook's API. DB and GREETER are remote bindings (see wrangler.jsonc); VISITS is a
// local KV namespace.
import type Greeter from "../greeter/index.js";
import { Guestbook } from "./guestbook.js";

interface Env {
  DB: D1Database;
  GREETER: Service<Greeter>;
  VISITS: KVNamespace;
}

/** Shown on the page, so that an edit to this Worker is visible after it reloads. */
const API_VERSION = "1";

async function countVisit(visits: KVNamespace): Promise<number> {
  const count = Number((await visits.get("count")) ?? "0") + 1;
  await visits.put("count", String(count));
  return count;
}

export default {
  async fetch(request, env): Promise<Response> {
    const url = new URL(request.url);
    const guestbook = new Guestbook(env.DB);
    if (url.pathname === "/api/board" && request.method === "GET") {
      const [entries, greeting, visits] = await Promise.all([
        guestbook.latest(),
        env.GREETER.greet(url.searchParams.get("name") ?? "guest"),
        countVisit(env.VISITS),
      ]);
      return Response.json({ apiVersion: API_VERSION, greeting, entries, visits });
    }
    if (url.pathname === "/api/entries" && request.method === "POST") {
      const { author, message } = await request.json<{ author?: string; message?: string }>();
      if (!author?.trim() || !message?.trim()) {
        return Response.json({ error: "An entry needs an author and a message." }, { status: 400 });
      }
      return Response.json(await guestbook.sign(author.trim(), message.trim()), { status: 201 });
    }
    return Response.json({ error: `No API at ${url.pathname}` }, { status: 404 });
  },
} satisfies ExportedHandler<Env>;
