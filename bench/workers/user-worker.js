/* global Response, crypto */
// The developer's worker: each request makes one binding call, so the bench times calls from
// outside workerd (with a monotonic clock that workerd does not give its workers).
//   GET /rpc?binding=X    env.X.echo(payload)
//   GET /http?binding=X   env.X.fetch(POST payload)
//   GET /chain?binding=X  env.X.getCounter().increment(), the second call pipelined on the first
//   GET /d1?binding=X     env.X.prepare(sql).bind(7).first()
//   GET /kv?binding=X     env.X.put(k, v), then env.X.get(k)
//   GET /r2small?binding=X  env.X.put(k, v), then (await env.X.get(k)).text()
// Large bodies, streamed through and never read here:
//   GET /r2?binding=X&key=K   env.X.get(K).body     PUT /r2?binding=X&key=K   env.X.put(K, body)
//   GET /ai?binding=X&bytes=N env.X.run(…, { stream: true })
//   GET /bytes?binding=X&n=N  env.X.fetch(…/bytes?n=N).body
//   PUT /bytes?binding=X      env.X.fetch(…/count, { body }), which counts the bytes
const PAYLOAD = "access-bridge bench payload ".repeat(4);

const answer = (ok, detail) =>
  new Response(ok ? "ok" : `wrong answer: ${detail}`, { status: ok ? 200 : 500 });

const routes = {
  async rpc(binding) {
    const value = await binding.echo(PAYLOAD);
    return answer(value === PAYLOAD, value);
  },
  async http(binding) {
    const response = await binding.fetch("http://bench.example/echo", {
      method: "POST",
      body: PAYLOAD,
    });
    const text = await response.text();
    return answer(text === PAYLOAD, `${response.status} ${text}`);
  },
  async chain(binding) {
    const counter = binding.getCounter();
    try {
      const value = await counter.increment();
      return answer(value === 1, value);
    } finally {
      counter[Symbol.dispose]();
    }
  },
  async d1(binding) {
    const row = await binding.prepare("SELECT ? AS v").bind(7).first();
    return answer(row?.v === 7, JSON.stringify(row));
  },
  async kv(binding) {
    const key = crypto.randomUUID();
    await binding.put(key, PAYLOAD, { expirationTtl: 60 });
    const value = await binding.get(key);
    return answer(value === PAYLOAD, value);
  },
  async r2small(binding) {
    const key = `small/${crypto.randomUUID()}`;
    await binding.put(key, PAYLOAD);
    const text = await (await binding.get(key))?.text();
    await binding.delete(key);
    return answer(text === PAYLOAD, text);
  },
  async r2(binding, params, request) {
    const key = params.get("key");
    if (request.method === "PUT") {
      const object = await binding.put(key, request.body);
      return new Response(String(object.size));
    }
    const object = await binding.get(key);
    return object === null
      ? new Response("no such object", { status: 404 })
      : new Response(object.body);
  },
  async ai(binding, params) {
    const stream = await binding.run("@cf/bench/stream", {
      stream: true,
      bytes: Number(params.get("bytes")),
    });
    return new Response(stream);
  },
  async bytes(binding, params, request) {
    if (request.method === "PUT") {
      const response = await binding.fetch("http://bench.example/count", {
        method: "PUT",
        body: request.body,
      });
      return new Response(await response.text(), response);
    }
    const response = await binding.fetch(`http://bench.example/bytes?n=${params.get("n")}`);
    return new Response(response.body, response);
  },
};

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const route = routes[url.pathname.slice(1)];
    if (route === undefined) return new Response("no such route", { status: 404 });
    return route(env[url.searchParams.get("binding")], url.searchParams, request);
  },
};
