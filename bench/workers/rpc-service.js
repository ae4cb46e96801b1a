/* global Response */
// The binding every scenario calls: the same RPC methods and the same fetch(), answering the
// payload it was given, locally (the floor) or behind a proxy server (the remote scenarios).
import { RpcTarget, WorkerEntrypoint } from "cloudflare:workers";
import { generatedStream } from "./generated-stream.js";

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
    if (url.pathname === "/count") {
      let bytes = 0;
      for await (const chunk of request.body) bytes += chunk.byteLength;
      return new Response(String(bytes));
    }
    if (url.pathname === "/bytes") {
      return new Response(generatedStream(Number(url.searchParams.get("n"))));
    }
    return new Response(await request.text());
  }
}
