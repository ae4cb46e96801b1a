/* global Response */
// Test-only wrapper around the shipped relay bundle. It counts AuthSession constructions (a new
// construction while a socket stays open proves the object was evicted and woke up again) and
// reads a session's storage, so tests can check that nothing is left behind. "shipped-relay" is
// the bundle auth-relay exports as RELAY_WORKER_SCRIPT_PATH (start-relay.ts maps the name).
import relay, { AuthSession } from "shipped-relay";

let constructions = 0;

export class ProbedAuthSession extends AuthSession {
  constructor(ctx, env) {
    super(ctx, env);
    constructions++;
  }

  async snapshot() {
    const keys = [...(await this.ctx.storage.list()).keys()];
    return { keys, alarm: await this.ctx.storage.getAlarm() };
  }
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/__probe/constructions") return Response.json({ constructions });
    if (url.pathname.startsWith("/__probe/storage/")) {
      const state = url.pathname.slice("/__probe/storage/".length);
      const stub = env.AUTH_SESSION.get(env.AUTH_SESSION.idFromName(state));
      return Response.json(await stub.snapshot());
    }
    return relay.fetch(request, env, ctx);
  },
};
