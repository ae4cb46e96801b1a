// A body of known length that a byte call returns is passed on through a FixedLengthStream.
//
// Why: workerd's HTTP client hands a body of known length on in pieces as large as its read
// buffer (hyper's adaptive one, 400–480 KiB while the remote keeps up), and the HTTP server that
// answers the user's own caller copies each piece it is given whole and queues up to three. So
// while that caller paused on a Response made from an R2 object, the local workerd held three or
// four such pieces: 2.4–3.7 MiB more allocated (tcmalloc's count), against 0.9–1.5 for a chunked
// body. The pump into a FixedLengthStream writes on in 64 KiB pieces; the length stays known (a
// Response made from the body still sends a Content-Length, R2 still takes it as a value), and a
// body that ends short errors instead of ending. A chunked body arrives in the remote's own pieces
// and passes as it is, and so does one the client decodes (its Content-Length counts encoded bytes).
// The facades also run in Node, under getPlatformProxy(), where the body comes from undici: there
// is no FixedLengthStream and no such copying, so the body passes as it is.
export function relayedBody(response: Response): ReadableStream | null {
  const length = Number(response.headers.get("Content-Length") ?? NaN);
  const encoding = response.headers.get("Content-Encoding") ?? "identity";
  if (
    response.body === null ||
    typeof FixedLengthStream !== "function" ||
    !Number.isSafeInteger(length) ||
    encoding !== "identity"
  ) {
    return response.body;
  }
  const relay = new FixedLengthStream(length);
  // The pipe passes a failure on both ways (the reader's stream errors, a cancelled reader
  // cancels the remote's body), so what its promise reports is already the reader's to see.
  response.body.pipeTo(relay.writable).catch(() => {});
  return relay.readable;
}
