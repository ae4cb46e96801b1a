/**
 * Every relay response carries these: a callback URL holds a live authorization code, so no
 * cache may keep the answer and no Referer may carry the URL on to the consent page.
 */
const BASE_HEADERS = {
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
  "Content-Type": "text/plain; charset=utf-8",
  "X-Content-Type-Options": "nosniff",
};

export function plainResponse(status: number, body: string, headers?: HeadersInit): Response {
  const merged = new Headers(BASE_HEADERS);
  for (const [name, value] of new Headers(headers)) merged.set(name, value);
  return new Response(`${body}\n`, { status, headers: merged });
}

export function redirectResponse(location: string): Response {
  return new Response(null, {
    status: 307,
    headers: { ...BASE_HEADERS, Location: location },
  });
}
