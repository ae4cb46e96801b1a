/**
 * The most of a service token's client id that may ever be shown (a log, a warning, the
 * emulator's decision log): its first 8 characters, enough to tell tokens apart and never the
 * whole id. A shorter id shows nothing but the ellipsis.
 */
export function clientIdHint(clientId: string): string {
  return clientId.length <= 8 ? "…" : `${clientId.slice(0, 8)}…`;
}
