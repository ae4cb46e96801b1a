/**
 * A remote (a proxy server's URL) as logins are stored under and named: its origin and path,
 * without a trailing slash, so `https://proxy.example.workers.dev/` and
 * `https://proxy.example.workers.dev` are one remote. Shared by the proxy client's messages (in
 * workerd), auth-relay's token store and the dev session, which must all name it alike.
 */
export function remoteId(url: string | URL): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, "")}`;
}
