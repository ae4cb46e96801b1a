// The Worker under test: a link shortener. A new link is stored in D1, cached in KV, its preview
// (from the links-preview service, over RPC) archived in R2; each visit is counted on a queue.
import type PreviewService from "../remote-services/preview";

export interface Env {
  PUBLIC_ORIGIN: string;
  LINKS: KVNamespace;
  ARCHIVE: R2Bucket;
  DB: D1Database;
  CLICKS: Queue<Click>;
  PREVIEW: Service<PreviewService>;
}

export interface Click {
  slug: string;
  at: number;
}

export const SCHEMA =
  "CREATE TABLE IF NOT EXISTS links (slug TEXT PRIMARY KEY, url TEXT NOT NULL, title TEXT NOT NULL)";

async function shorten(request: Request, env: Env): Promise<Response> {
  const { url } = await request.json<{ url?: string }>();
  if (typeof url !== "string" || !URL.canParse(url)) {
    return Response.json({ error: "Send { url } with an absolute URL." }, { status: 400 });
  }
  const slug = crypto.randomUUID().slice(0, 8);
  const preview = await env.PREVIEW.preview(url);
  await env.DB.prepare("INSERT INTO links (slug, url, title) VALUES (?, ?, ?)")
    .bind(slug, url, preview.title)
    .run();
  await env.LINKS.put(slug, url, { metadata: { title: preview.title } });
  await env.ARCHIVE.put(`previews/${slug}.json`, JSON.stringify(preview), {
    httpMetadata: { contentType: "application/json" },
  });
  return Response.json(
    { slug, short: `${env.PUBLIC_ORIGIN}/${slug}`, title: preview.title },
    { status: 201 },
  );
}

async function visit(slug: string, env: Env): Promise<Response> {
  const url =
    (await env.LINKS.get(slug)) ??
    (await env.DB.prepare("SELECT url FROM links WHERE slug = ?").bind(slug).first<string>("url"));
  if (url === null) return new Response("No such link.", { status: 404 });
  await env.CLICKS.send({ slug, at: Date.now() });
  return Response.redirect(url, 302);
}

export default {
  async fetch(request, env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (request.method === "POST" && pathname === "/links") return shorten(request, env);
    if (request.method === "GET" && /^\/[\w-]+$/.test(pathname))
      return visit(pathname.slice(1), env);
    return new Response("Not found.", { status: 404 });
  },
} satisfies ExportedHandler<Env>;
