// The few pages a person sees in OAuth mode. They say what happened and what to do, never echo a
// token, code or email, and carry no script.

const escape = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const PAGE_HEADERS = {
  "Content-Type": "text/html; charset=utf-8",
  "Cache-Control": "no-store",
  "Content-Security-Policy":
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

export interface PageText {
  title: string;
  /** Plain text; escaped here. */
  paragraphs: string[];
  /** A link to offer, such as "Try again". */
  link?: { href: string; text: string };
}

export function htmlPage(status: number, text: PageText, headers?: HeadersInit): Response {
  const link = text.link
    ? `<p><a href="${escape(text.link.href)}">${escape(text.link.text)}</a></p>`
    : "";
  const body = `<!doctype html><meta charset="utf-8"><title>${escape(text.title)}</title>
<h1>${escape(text.title)}</h1>${text.paragraphs.map((line) => `<p>${escape(line)}</p>`).join("")}${link}`;
  const merged = new Headers(headers);
  for (const [name, value] of Object.entries(PAGE_HEADERS)) merged.set(name, value);
  return new Response(body, { status, headers: merged });
}

export function plainText(status: number, text: string, headers?: HeadersInit): Response {
  const merged = new Headers(headers);
  merged.set("Content-Type", "text/plain; charset=utf-8");
  merged.set("Cache-Control", "no-store");
  return new Response(`${text}\n`, { status, headers: merged });
}

export interface ConsentFacts {
  clientName: string;
  clientDomain?: string;
  redirectHost: string;
  redirectIsLoopback: boolean;
  proxyHost: string;
  handle: string;
}

/** The consent form posts only the handle and the decision; the request itself stays server-side. */
export function consentPage(facts: ConsentFacts, headers: Headers): Response {
  const name = escape(facts.clientName);
  const publisher = facts.clientDomain
    ? `Published by <strong>${escape(facts.clientDomain)}</strong>.`
    : "This client registered itself; its name is not verified.";
  const loopback = facts.redirectIsLoopback
    ? "<p><strong>This sends access to a program on your computer.</strong> Continue only if you just ran <code>access-bridge login</code> there.</p>"
    : "";
  const body = `<!doctype html><meta charset="utf-8"><title>Allow ${name}?</title>
<h1>Allow ${name} to use the bindings behind ${escape(facts.proxyHost)} as you?</h1>
<p>${publisher} Access goes to <strong>${escape(facts.redirectHost)}</strong>.</p>${loopback}
<p>You sign in with Cloudflare Access next.</p>
<form method="post"><input type="hidden" name="handle" value="${escape(facts.handle)}">
<button name="decision" value="approve">Allow</button> <button name="decision" value="deny">Deny</button></form>`;
  headers.set("Content-Type", "text/html; charset=utf-8");
  headers.set("Cache-Control", "no-store");
  return new Response(body, { status: 200, headers });
}
