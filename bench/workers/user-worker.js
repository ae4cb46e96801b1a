/* global Response */
// The developer's worker: each request makes one binding call, so the bench times calls from
// outside workerd (with a monotonic clock that workerd does not give its workers).
// GET /rpc?binding=X  → env.X.echo(payload);  GET /http?binding=X  → env.X.fetch(POST payload).
const PAYLOAD = "access-bridge bench payload ".repeat(4);

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const binding = env[url.searchParams.get("binding")];
    if (url.pathname === "/rpc") {
      const answer = await binding.echo(PAYLOAD);
      return new Response(answer === PAYLOAD ? "ok" : "wrong answer", {
        status: answer === PAYLOAD ? 200 : 500,
      });
    }
    if (url.pathname === "/http") {
      const response = await binding.fetch("http://bench.example/echo", {
        method: "POST",
        body: PAYLOAD,
      });
      const text = await response.text();
      return new Response(text === PAYLOAD ? "ok" : `wrong answer: ${response.status} ${text}`, {
        status: text === PAYLOAD ? 200 : 500,
      });
    }
    return new Response("no such route", { status: 404 });
  },
};
