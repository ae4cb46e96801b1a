import type SearchService from "../search-service/index.js";
import { NotesStore } from "./notes-store.js";
import { notesPage } from "./page.js";

interface Env {
  APP_TITLE: string;
  DB: D1Database;
  ATTACHMENTS: R2Bucket;
  SEARCH: Service<SearchService>;
}

const html = (body: string, status = 200) =>
  new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8" } });

async function addNote(request: Request, env: Env, notes: NotesStore): Promise<Response> {
  const form = await request.formData();
  const title = String(form.get("title") ?? "").trim();
  const body = String(form.get("body") ?? "").trim();
  if (title === "" || body === "") {
    return new Response("A note needs a title and a body.", { status: 400 });
  }
  const file: unknown = form.get("attachment");
  const attachment = file instanceof File && file.size > 0 ? file : null;
  const id = await notes.add(title, body, attachment?.name ?? null);
  if (attachment !== null) {
    await env.ATTACHMENTS.put(`notes/${id}`, await attachment.arrayBuffer(), {
      httpMetadata: { contentType: attachment.type || "application/octet-stream" },
      customMetadata: { filename: attachment.name },
    });
  }
  await env.SEARCH.index(id, `${title} ${body}`);
  if (request.headers.get("accept")?.includes("application/json")) {
    return Response.json({ id }, { status: 201 });
  }
  return new Response(null, { status: 303, headers: { location: "/" } });
}

async function attachment(id: number, env: Env): Promise<Response> {
  const object = await env.ATTACHMENTS.get(`notes/${id}`);
  if (object === null) return new Response("This note has no attachment.", { status: 404 });
  return new Response(object.body, {
    headers: {
      "content-type": object.httpMetadata?.contentType ?? "application/octet-stream",
      "content-disposition": `attachment; filename="${object.customMetadata?.filename ?? id}"`,
    },
  });
}

export default {
  async fetch(request, env): Promise<Response> {
    const url = new URL(request.url);
    const notes = new NotesStore(env.DB);
    if (url.pathname === "/" && request.method === "GET") {
      return html(notesPage(env.APP_TITLE, await notes.list()));
    }
    if (url.pathname === "/notes" && request.method === "POST") {
      return addNote(request, env, notes);
    }
    if (url.pathname === "/api/notes" && request.method === "GET") {
      return Response.json(await notes.list());
    }
    if (url.pathname === "/search" && request.method === "GET") {
      const query = url.searchParams.get("q") ?? "";
      const hits = await env.SEARCH.search(query);
      const found = await notes.get(hits.map((hit) => hit.id));
      if (request.headers.get("accept")?.includes("application/json")) return Response.json(found);
      return html(notesPage(env.APP_TITLE, found, query));
    }
    const match = /^\/notes\/(\d+)\/attachment$/.exec(url.pathname);
    if (match !== null && request.method === "GET") return attachment(Number(match[1]), env);
    return new Response("Not found", { status: 404 });
  },
} satisfies ExportedHandler<Env>;
