// doctor reads answers as the proxy client does: one that the proxy server marked
// `MF-Forwarded-Response: true` is a binding's own answer (a target Worker's own 403 page titled
// like Access's, its own Bearer challenge), never a refusal by Access or by the OAuth layer. The
// remote here is a Worker in workerd that answers every request so, with or without the mark.
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { describe, expect, it, onTestFinished } from "vitest";
import { WIRE } from "@access-bridge/remote-bindings";
import { runDoctorChecks } from "../src/doctor/doctor-checks.js";

const ANSWERS = `
export default {
  fetch(request, env) {
    const headers = new Headers(env.MARKED === "yes" ? { "${WIRE.FORWARDED_RESPONSE}": "true" } : {});
    if (env.KIND === "access-page") {
      headers.set("Content-Type", "text/html; charset=utf-8");
      return new Response("<html><head><title>Error ・ Cloudflare Access</title></head></html>", { status: 403, headers });
    }
    const metadata = new URL("/.well-known/oauth-protected-resource", request.url).href;
    headers.set("WWW-Authenticate", 'Bearer resource_metadata="' + metadata + '"');
    return new Response("sign in", { status: 401, headers });
  },
};`;

async function remote(kind: "access-page" | "bearer-challenge", marked: boolean): Promise<URL> {
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      cf: false,
      host: "127.0.0.1",
      port: 0,
      modules: true,
      script: ANSWERS,
      compatibilityDate: "2026-05-01",
      bindings: { KIND: kind, MARKED: marked ? "yes" : "no" },
    }),
  );
  onTestFinished(() => mf.dispose());
  return mf.ready;
}

const check = (url: URL) => runDoctorChecks({ url, credentials: undefined, bindings: [] });

describe("doctor and MF-Forwarded-Response", () => {
  it("a forwarded page titled like Access's is not an Access block", async () => {
    const unmarked = await check(await remote("access-page", false));
    expect(unmarked[1]).toMatchObject({
      level: "pass",
      title: expect.stringMatching(/^Cloudflare Access protects it/),
    });

    const marked = await check(await remote("access-page", true));
    expect(marked[1]).toMatchObject({
      level: "warn",
      title: "Cloudflare Access does not protect it: without credentials it answered 403.",
    });
    expect(marked.map((result) => result.title).join("\n")).not.toContain("No Access credentials");
  });

  it("a forwarded Bearer challenge on the proxy's own origin is not OAuth mode", async () => {
    const unmarked = await check(await remote("bearer-challenge", false));
    expect(unmarked[1]!.title).toMatch(/it is a proxy server in OAuth mode/);

    const marked = await check(await remote("bearer-challenge", true));
    expect(marked[1]).toMatchObject({ level: "warn" });
    expect(marked.map((result) => result.title).join("\n")).not.toMatch(/OAuth mode|sign-in/);
  });
});
