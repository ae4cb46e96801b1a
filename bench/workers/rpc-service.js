/* global Response, ReadableStream */
// The binding every scenario calls: the same RPC methods and the same fetch(), answering the
// payload it was given, locally (the floor) or behind a proxy server (the remote scenarios).
import { RpcTarget, WorkerEntrypoint } from "cloudflare:workers";

// Counters made, and those a caller still holds a stub to (workerd disposes a target once no
// stub points at it), for the soak.
const counters = { made: 0, live: 0 };

class Counter extends RpcTarget {
  #value = 0;
  constructor() {
    super();
    counters.made++;
    counters.live++;
  }
  increment() {
    return ++this.#value;
  }
  [Symbol.dispose]() {
    counters.live--;
  }
}

/** `total` bytes made as they are read, never held whole. */
function generatedStream(total, chunkSize = 64 * 1024) {
  let sent = 0;
  return new ReadableStream({
    type: "bytes",
    pull(controller) {
      if (sent >= total) return controller.close();
      const size = Math.min(chunkSize, total - sent);
      controller.enqueue(new Uint8Array(size).fill(sent % 251));
      sent += size;
    },
  });
}

export default class BenchService extends WorkerEntrypoint {
  echo(payload) {
    return payload;
  }

  // The dependent chain: getCounter().increment() pipelines the second call on the first.
  getCounter() {
    return new Counter();
  }

  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/counters") return Response.json(counters);
    if (url.pathname === "/bytes") {
      return new Response(generatedStream(Number(url.searchParams.get("n"))));
    }
    return new Response(await request.text());
  }
}
