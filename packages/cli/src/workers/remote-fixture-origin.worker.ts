// The origin that Access protects in `access-bridge remote`: every remote-bindings request goes
// on to the proxy server behind it. One path more answers with this Worker's `ctx.access`, the
// runtime's view of Access for this request, so that a test can see which identity each token
// gets — the proxy server itself never shows it.
import { IDENTITY_PATH } from "../remote-fixture/identity-path.js";

interface Env {
  PROXY_SERVER: Fetcher;
}

export default {
  async fetch(request, env, ctx): Promise<Response> {
    if (new URL(request.url).pathname !== IDENTITY_PATH) return env.PROXY_SERVER.fetch(request);
    if (ctx.access === undefined) {
      return new Response("This Worker has no ctx.access: Access does not sit in front of it.", {
        status: 500,
      });
    }
    return Response.json({ aud: ctx.access.aud, identity: await ctx.access.getIdentity() });
  },
} satisfies ExportedHandler<Env>;
