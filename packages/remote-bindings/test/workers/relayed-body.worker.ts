// Test-only Worker: relayedBody() (src/workers/user-facades/relayed-body.ts) on answers made here
// the way a byte call's arrive (a stated Content-Length, or none, or an encoding), read back in
// workerd: whether the relayed body keeps its length (R2 takes a stream only when its length is
// known), what a reader reads, and what happens when the body ends short, fails, or is cancelled.
import { relayedBody } from "../../src/workers/user-facades/relayed-body.js";

interface Env {
  BUCKET: R2Bucket;
}

/** `total` bytes of (offset + i) % 251 in 64 KiB pieces; then `end` (close, or fail). */
function pattern(total: number, end: "close" | "fail" = "close", onCancel?: () => void) {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) {
        if (end === "fail") controller.error(new Error("the remote's body failed"));
        else controller.close();
        return;
      }
      const size = Math.min(64 * 1024, total - sent);
      const chunk = new Uint8Array(size);
      for (let i = 0; i < size; i++) chunk[i] = (sent + i) % 251;
      sent += size;
      controller.enqueue(chunk);
    },
    cancel: () => onCancel?.(),
  });
}

async function readAll(stream: ReadableStream | null) {
  if (stream === null) return { read: null };
  let read = 0;
  let wrong = 0;
  try {
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
      for (let i = 0; i < chunk.byteLength; i++) if (chunk[i] !== (read + i) % 251) wrong++;
      read += chunk.byteLength;
    }
    return { read, wrong };
  } catch (error) {
    return { read, error: error instanceof Error ? error.message : String(error) };
  }
}

const answer = (body: ReadableStream | null, headers: Record<string, string>) =>
  new Response(body, { headers });

const routes: Record<string, (env: Env) => Promise<unknown>> = {
  async "known length"(env) {
    const bytes = 3 * 1024 * 1024 + 5;
    const response = answer(pattern(bytes), { "Content-Length": String(bytes) });
    const relayed = relayedBody(response);
    const stored = await env.BUCKET.put("known", relayed);
    return {
      relayed: relayed !== response.body,
      stored: stored?.size,
      read: await readAll((await env.BUCKET.get("known"))!.body),
    };
  },
  async "no length: passed on as it is"() {
    const response = answer(pattern(1000), {});
    const body = relayedBody(response);
    return { same: body === response.body, read: await readAll(body) };
  },
  async "an encoded body: passed on as it is"() {
    const response = answer(pattern(1000), { "Content-Length": "10", "Content-Encoding": "gzip" });
    return { same: relayedBody(response) === response.body };
  },
  async "no body"() {
    return { body: relayedBody(new Response(null, { headers: { "Content-Length": "0" } })) };
  },
  async "ends short"() {
    return readAll(relayedBody(answer(pattern(1000), { "Content-Length": "5000" })));
  },
  async "fails mid-body"() {
    return readAll(relayedBody(answer(pattern(200_000, "fail"), { "Content-Length": "400000" })));
  },
  async "a cancelled reader cancels the remote's body"() {
    let cancelled = false;
    const source = pattern(8 * 1024 * 1024, "close", () => (cancelled = true));
    const relayed = relayedBody(answer(source, { "Content-Length": String(8 * 1024 * 1024) }))!;
    const reader = relayed.getReader();
    await reader.read();
    await reader.cancel("the caller went away");
    for (let i = 0; i < 50 && !cancelled; i++) await scheduler.wait(10);
    return { cancelled };
  },
};

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const name = decodeURIComponent(new URL(request.url).pathname.slice(1));
    const route = routes[name];
    if (route === undefined) return Response.json(Object.keys(routes));
    return Response.json(await route(env));
  },
};
