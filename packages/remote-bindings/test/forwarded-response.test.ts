// workers-sdk's protocol marks every answer the proxy server forwards from a binding's fetch()
// with MF-Forwarded-Response, so that a client never takes a binding's own answer for a refusal.
// Ours marks them as wrangler's ProxyServerWorker does, and our client reads the mark as
// Miniflare's does: a target Worker's own 403 page titled like Access's, or its own redirect to
// an Access login, reaches the caller as it was sent, with no Access warning.
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  proxyServerWorker,
  remoteBindings,
  type ProxyClientReport,
} from "@access-bridge/remote-bindings";
import { WORKERS_COMPATIBILITY_DATE } from "../src/node/compatibility-date.js";

const ACCESS_LIKE_PAGE =
  "<!DOCTYPE html><html><head><title>Error ・ Cloudflare Access</title></head>" +
  "<body>The target's own page, not Access's.</body></html>";
const LOGIN = "https://team.cloudflareaccess.com/cdn-cgi/access/login/app.example.com?kid=aud";

async function startProxyServer(): Promise<URL> {
  const server = new Miniflare(
    convertV4MiniflareOptions({
      cf: false,
      host: "127.0.0.1",
      port: 0,
      workers: [
        proxyServerWorker({ name: "proxy", serviceBindings: { API: "api" } }),
        {
          name: "api",
          modules: true,
          script: `export default { fetch(request) {
            const { pathname } = new URL(request.url);
            if (pathname === "/login") return new Response(null, { status: 302, headers: { Location: ${JSON.stringify(LOGIN)} } });
            return new Response(${JSON.stringify(ACCESS_LIKE_PAGE)}, {
              status: 403,
              headers: { "Content-Type": "text/html; charset=utf-8", "X-Target": "yes" },
            });
          } };`,
          compatibilityDate: WORKERS_COMPATIBILITY_DATE,
        },
      ],
    }),
  );
  onTestFinished(() => server.dispose());
  return await server.ready;
}

describe("MF-Forwarded-Response", () => {
  it("marks what the proxy server forwards from a binding, and nothing of its own", async () => {
    const proxy = await startProxyServer();
    const forwarded = await fetch(proxy, {
      headers: { "MF-Binding": "API", "MF-URL": "http://api.example/" },
    });
    expect(forwarded.status).toBe(403);
    expect(forwarded.headers.get("MF-Forwarded-Response")).toBe("true");
    expect(forwarded.headers.get("X-Target")).toBe("yes");
    expect(await forwarded.text()).toBe(ACCESS_LIKE_PAGE);

    const own = await fetch(proxy, { headers: { "MF-Binding": "NOPE", "MF-URL": "http://x/" } });
    expect(own.status).toBe(400);
    expect(own.headers.has("MF-Forwarded-Response")).toBe(false);
    await own.body?.cancel();
  });

  it("a target's own 403 page titled like Access's, and its own redirect to an Access login, are not Access blocks", async () => {
    const proxy = await startProxyServer();
    const reports: (ProxyClientReport | undefined)[] = [];
    const remote = remoteBindings({
      remoteUrl: proxy.href,
      bindings: { API: { type: "service" } },
      credentials: null,
      onWarning: (_message, report) => reports.push(report),
    });
    const local = new Miniflare(
      convertV4MiniflareOptions({
        cf: false,
        workers: [
          remote.apply({
            name: "app",
            modules: true,
            script: `export default { async fetch(request, env) {
              const answer = await env.API.fetch(new URL(new URL(request.url).pathname, "http://api.example"), { redirect: "manual" });
              return new Response(JSON.stringify({
                status: answer.status,
                headers: Object.fromEntries(answer.headers),
                body: await answer.text(),
              }));
            } };`,
            compatibilityDate: WORKERS_COMPATIBILITY_DATE,
          }),
          ...remote.workers,
        ],
      }),
    );
    onTestFinished(() => local.dispose());

    const page = (await (await local.dispatchFetch("http://localhost/page")).json()) as {
      status: number;
      headers: Record<string, string>;
      body: string;
    };
    expect(page.status).toBe(403);
    expect(page.body).toBe(ACCESS_LIKE_PAGE);
    expect(page.headers["x-target"]).toBe("yes");
    expect(page.headers).not.toHaveProperty("x-access-bridge-error");
    expect(page.headers).not.toHaveProperty("mf-forwarded-response");

    const login = (await (await local.dispatchFetch("http://localhost/login")).json()) as {
      status: number;
      headers: Record<string, string>;
    };
    expect(login.status).toBe(302);
    expect(login.headers.location).toBe(LOGIN);
    expect(login.headers).not.toHaveProperty("mf-forwarded-response");

    expect(reports).toEqual([]);
  });
});
