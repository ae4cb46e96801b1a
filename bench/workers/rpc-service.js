/* global Response */
// The binding every scenario calls: the same RPC method and the same fetch(), answering the
// payload it was given, locally (the floor) or behind a proxy server (the remote scenarios).
import { WorkerEntrypoint } from "cloudflare:workers";

export default class BenchService extends WorkerEntrypoint {
  echo(payload) {
    return payload;
  }

  async fetch(request) {
    return new Response(await request.text());
  }
}
