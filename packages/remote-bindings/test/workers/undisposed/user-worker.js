/* global Response, gc */
// The calls the bench makes, and a few more of the same kinds, on the bindings named by
// ?api=&db=&kv= (local ones, or remote ones through the proxy client), disposing only what code
// on a local binding must dispose. /collect runs V8's collector (workerd started with
// --expose-gc), so that workerd's finalizers of what earlier requests dropped run, and warn,
// inside a request of this isolate.
const routes = {
  rpc: async ({ api }) => (await api.echo("payload")) === "payload",
  object: async ({ api }) => (await api.describe()).tags[1] === "b",
  async chain({ api }) {
    const counter = api.getCounter();
    try {
      return (await counter.increment()) === 1;
    } finally {
      counter[Symbol.dispose]();
    }
  },
  async chainToObject({ api }) {
    const counter = api.getCounter();
    try {
      return (await counter.describe()).value === 0;
    } finally {
      counter[Symbol.dispose]();
    }
  },
  // On the binding, a call pipelined on a promise settles after that promise is disposed.
  async awaitedAfterDispose({ api }) {
    const counter = api.getCounter();
    const first = counter.increment();
    const second = counter.increment();
    counter[Symbol.dispose]();
    return (await first) + (await second) === 3;
  },
  d1: async ({ db }) => (await db.prepare("SELECT ? AS v").bind(7).first())?.v === 7,
  d1All: async ({ db }) => (await db.prepare("SELECT 1 AS v").all()).results.length === 1,
  kvList: async ({ kv }) => Array.isArray((await kv.list()).keys),
  // The control: a stub the code never disposes, which workerd warns about on any binding.
  async leak({ api }) {
    const counter = await api.getCounter();
    return (await counter.increment()) === 1;
  },
  collect() {
    gc();
    return true;
  },
};

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const [api, db, kv] = ["api", "db", "kv"].map((name) => env[url.searchParams.get(name)]);
    const ok = await routes[url.pathname.slice(1)]({ api, db, kv });
    return new Response(String(ok));
  },
};
