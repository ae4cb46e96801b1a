import type { Note } from "./notes-store.js";

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function noteItem(note: Note): string {
  const attachment = note.attachment
    ? ` · <a href="/notes/${note.id}/attachment">${escapeHtml(note.attachment)}</a>`
    : "";
  return `<li><strong>${escapeHtml(note.title)}</strong> <small>${escapeHtml(note.created_at)}${attachment}</small><p>${escapeHtml(note.body)}</p></li>`;
}

export function notesPage(title: string, notes: Note[], query?: string): string {
  const heading = query === undefined ? "Latest notes" : `Notes matching “${escapeHtml(query)}”`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}form{margin:1rem 0}input,textarea{display:block;width:100%;margin:.25rem 0}li{margin:.75rem 0}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>Notes in D1, attachments in R2, search over RPC: all remote bindings, through Cloudflare Access.</p>
<form method="get" action="/search"><input name="q" placeholder="Search notes" value="${escapeHtml(query ?? "")}"></form>
<form method="post" action="/notes" enctype="multipart/form-data">
<input name="title" placeholder="Title" required>
<textarea name="body" placeholder="Write something" required></textarea>
<input type="file" name="attachment">
<button type="submit">Add note</button>
</form>
<h2>${heading}</h2>
<ul>${notes.map(noteItem).join("\n") || "<li>No notes yet.</li>"}</ul>
</body>
</html>`;
}
