// The first capnweb messages of an RPC session, carried in its upgrade request. The call that
// opens a session would otherwise wait for the 101 and then cost a round trip of its own; sent
// with the upgrade, its answer comes back right behind the 101 (docs/architecture.md, "The first
// call"). The proxy server feeds them to the session before anything that arrives on the socket,
// and says in the 101 how many it took; a server that does not know the header (wrangler's, an
// older one of ours) ignores it, says nothing, and the client sends them on the socket instead.

export const FIRST_MESSAGES = {
  /** Request: the messages, a URI-encoded JSON array of strings. */
  REQUEST: "Access-Bridge-Rpc-Messages",
  /** The 101: how many of them the proxy server took. */
  TAKEN: "Access-Bridge-Rpc-Messages-Taken",
} as const;

/**
 * Room for the messages in the header, encoded. Cloudflare allows 128 KB of request headers in
 * all; a call whose arguments need more waits for the socket, as every call did before.
 */
export const FIRST_MESSAGES_MAX_BYTES = 8 * 1024;

/** The header value for the longest run of `messages`, from the first, that fits; and its count. */
export function encodeFirstMessages(
  messages: readonly string[],
): { header: string; count: number } | undefined {
  let count = messages.length;
  while (count > 0) {
    const header = encodeURIComponent(JSON.stringify(messages.slice(0, count)));
    if (header.length <= FIRST_MESSAGES_MAX_BYTES) return { header, count };
    count--;
  }
  return undefined;
}

/** The messages of the header, or undefined when it is not what encodeFirstMessages() writes. */
export function decodeFirstMessages(header: string): string[] | undefined {
  if (header.length > FIRST_MESSAGES_MAX_BYTES) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(decodeURIComponent(header));
  } catch {
    return undefined;
  }
  return Array.isArray(value) && value.every((message) => typeof message === "string")
    ? value
    : undefined;
}
