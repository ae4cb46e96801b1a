// The developer's side for the bearer tests: a Worker with remote bindings API (service: fetch
// and RPC) and TCP (connect), through remoteBindings() of the Miniflare API, and a token source
// the test scripts (refresh, repeat, fail, report any expiry).
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { onTestFinished } from "vitest";
import { captureForCanaryCheck } from "@access-bridge/test-support/test-canary";
import { WORKERS_COMPATIBILITY_DATE } from "../../../src/node/compatibility-date.js";
import type { BearerToken, BearerTokenSource } from "../../../src/node/bearer-token-source.js";
import { remoteBindings, type RemoteBindingsOptions } from "../../../src/node/remote-bindings.js";
import type { BearerRemote, SignedIn } from "@access-bridge/test-support/bearer-remote";

const USER_WORKER = `
async function connectAndEcho(socket) {
  const writer = socket.writable.getWriter();
  const reader = socket.readable.getReader();
  let received = "";
  await writer.write(new TextEncoder().encode("ping"));
  while (!received.includes("ping")) {
    const { value, done } = await reader.read();
    if (done) break;
    received += new TextDecoder().decode(value);
  }
  await writer.close().catch(() => {});
  return received;
}
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const param = (name) => url.searchParams.get(name);
    try {
      if (url.pathname === "/http") {
        const method = param("method") ?? "GET";
        const answer = await env.API.fetch("https://api.internal/hello", {
          method,
          headers: { "X-From-User": "yes" },
          body: method === "POST" ? "posted" : undefined,
        });
        const text = await answer.text();
        return Response.json({ ok: true, value: { status: answer.status, text } });
      }
      if (url.pathname === "/rpc") return Response.json({ ok: true, value: await env.API.greet(param("name")) });
      if (url.pathname === "/hold") return Response.json({ ok: true, value: await env.API.hold(param("id")) });
      if (url.pathname === "/connect") return Response.json({ ok: true, value: await connectAndEcho(env.TCP.connect("echo.internal:7")) });
      return new Response("no such route", { status: 404 });
    } catch (error) {
      return Response.json({ ok: false, message: error.message });
    }
  },
};`;

export type Outcome<T = unknown> = { ok: true; value: T } | { ok: false; message: string };

export interface BearerLocal {
  mf: Miniflare;
  call<T = unknown>(path: string, params?: Record<string, string>): Promise<Outcome<T>>;
  warnings: string[];
}

export async function startBearerLocal(
  remoteUrl: string,
  options: Pick<RemoteBindingsOptions, "bearer" | "callBounds"> & {
    /** Text bindings added to the proxy client (the loopback broker's, as wrangler gives them). */
    clientBindings?: Record<string, string>;
  } = {},
): Promise<BearerLocal> {
  const warnings: string[] = [];
  onTestFinished(() => captureForCanaryCheck("bearer client warnings", warnings.join("\n")));
  const remote = remoteBindings({
    remoteUrl,
    bindings: { API: { type: "service" }, TCP: { type: "service" } },
    credentials: null,
    ...(options.bearer ? { bearer: options.bearer } : {}),
    ...(options.callBounds ? { callBounds: options.callBounds } : {}),
    onWarning: (message) => warnings.push(message),
  });
  const [client] = remote.workers;
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      cf: false,
      host: "127.0.0.1",
      port: 0,
      workers: [
        remote.apply({
          name: "app",
          modules: [{ type: "ESModule", path: "app.js", contents: USER_WORKER }],
          compatibilityDate: WORKERS_COMPATIBILITY_DATE,
        }),
        { ...client!, bindings: { ...client!.bindings, ...options.clientBindings } },
      ],
    }),
  );
  onTestFinished(() => mf.dispose());
  const origin = (await mf.ready).origin;
  return {
    mf,
    warnings,
    async call<T>(path: string, params: Record<string, string> = {}) {
      const url = new URL(path, origin);
      for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
      return (await (await fetch(url)).json()) as Outcome<T>;
    },
  };
}

/**
 * A token source the test scripts. The first ask gives the sign-in's token; each later one
 * refreshes (rotating the refresh token), gives the same token again, or fails, as `next` says.
 * `expiry` chooses the expiry it reports (the real one by default; undefined reports none).
 */
export class ScriptedTokenSource implements BearerTokenSource {
  readonly handedOut: string[] = [];
  next: "refresh" | "same" | Error = "refresh";
  failFirst: Error | undefined;
  expiry: (login: SignedIn) => number | undefined = (login) => login.expiresAt;

  constructor(
    private readonly remote: BearerRemote,
    public login: SignedIn,
  ) {}

  async token(): Promise<string | BearerToken> {
    if (this.handedOut.length === 0 && this.failFirst) throw this.failFirst;
    if (this.handedOut.length > 0) {
      if (this.next instanceof Error) throw this.next;
      if (this.next === "refresh") this.login = await this.remote.refresh(this.login);
    }
    this.handedOut.push(this.login.accessToken);
    const expiresAt = this.expiry(this.login);
    return expiresAt === undefined
      ? this.login.accessToken
      : { token: this.login.accessToken, expiresAt };
  }
}
