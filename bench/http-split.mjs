/* global fetch, performance */
// node bench/http-split.mjs [samples]   (after npm run build)
//
// Where the HTTP path's time above the floor goes, on this machine, with no emulated link (RTT
// 0): the same binding fetch() (a POST of the bench's payload, answered with it) measured along
// the path, interleaved, p50 of each:
//   floor              user Worker → local service binding → echo Worker
//   proxy client       user Worker → proxy client → fetch() → proxy server → echo Worker
//   plain fetch()      a Worker's own fetch() with the protocol headers → proxy server → echo
//   Node → server      Node → proxy server → echo, against Node → echo Worker (the server's cost)
// "proxy client − plain fetch()" is what access-bridge's client side adds to a Worker's fetch().
import path from "node:path";
import { fileURLToPath } from "node:url";
import { proxyServerWorker, remoteBindings } from "@access-bridge/remote-bindings";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";

const samples = Number(process.argv[2] ?? 400);
const benchDir = path.dirname(fileURLToPath(import.meta.url));
const COMPATIBILITY_DATE = "2026-04-01";
const PAYLOAD = "access-bridge bench payload ".repeat(4);
const PROTOCOL = {
  "MF-URL": "http://bench.example/echo",
  "MF-Binding": "API",
  "MF-Header-content-type": "text/plain;charset=UTF-8",
};

const echo = {
  name: "echo",
  modules: true,
  compatibilityDate: COMPATIBILITY_DATE,
  script: `export default { async fetch(request) { return new Response(await request.text()); } };`,
};
const start = async (workers) => {
  const mf = new Miniflare(
    convertV4MiniflareOptions({ cf: false, host: "127.0.0.1", port: 0, workers }),
  );
  return { mf, url: (await mf.ready).href };
};

const echoAlone = await start([echo]);
const remote = await start([
  proxyServerWorker({ name: "proxy-server", serviceBindings: { API: "echo" } }),
  echo,
]);
const bindings = remoteBindings({
  remoteUrl: remote.url,
  bindings: { API: { type: "service" } },
  credentials: null,
});
const local = await start([
  bindings.apply({
    name: "user-worker",
    modules: true,
    scriptPath: path.join(benchDir, "workers", "user-worker.js"),
    compatibilityDate: COMPATIBILITY_DATE,
    serviceBindings: { LOCAL: "echo" },
  }),
  echo,
  ...bindings.workers,
]);
const plainFetch = await start([
  {
    name: "plain-fetch",
    modules: true,
    compatibilityDate: COMPATIBILITY_DATE,
    bindings: { REMOTE: remote.url, PAYLOAD, PROTOCOL: JSON.stringify(PROTOCOL) },
    script: `export default {
      async fetch(request, env) {
        const init = { method: "POST", body: env.PAYLOAD, headers: JSON.parse(env.PROTOCOL) };
        return new Response(await (await fetch(env.REMOTE, init)).text());
      },
    };`,
  },
]);

const paths = {
  floor: () => fetch(`${local.url}http?binding=LOCAL`),
  "proxy client": () => fetch(`${local.url}http?binding=API`),
  "plain fetch()": () => fetch(plainFetch.url),
  "Node → proxy server": () =>
    fetch(remote.url, { method: "POST", body: PAYLOAD, headers: PROTOCOL }),
  "Node → echo Worker": () => fetch(echoAlone.url, { method: "POST", body: PAYLOAD }),
};
const times = Object.fromEntries(Object.keys(paths).map((name) => [name, []]));
try {
  for (let i = 0; i < samples + 20; i++) {
    for (const [name, call] of Object.entries(paths)) {
      const started = performance.now();
      const response = await call();
      const text = await response.text();
      if (text !== PAYLOAD && text !== "ok") throw new Error(`${name}: ${response.status} ${text}`);
      if (i >= 20) times[name].push(performance.now() - started);
    }
  }
} finally {
  await Promise.all([echoAlone, remote, local, plainFetch].map(({ mf }) => mf.dispose()));
}
const p50 = (name) => times[name].sort((a, b) => a - b)[Math.floor(samples / 2)];
for (const name of Object.keys(paths))
  console.log(`${name.padEnd(20)} p50 ${p50(name).toFixed(2)} ms`);
console.log(
  `proxy client − floor: ${(p50("proxy client") - p50("floor")).toFixed(2)} ms; ` +
    `plain fetch() − floor: ${(p50("plain fetch()") - p50("floor")).toFixed(2)} ms; ` +
    `proxy server's own: ${(p50("Node → proxy server") - p50("Node → echo Worker")).toFixed(2)} ms`,
);
