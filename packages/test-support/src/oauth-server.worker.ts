// Test-only authorization server: @cloudflare/workers-oauth-provider (RFC 8414 metadata, PKCE,
// RFC 7591 registration, RFC 7009 revocation, RFC 9207 `iss`) with a bare consent form that
// consentInBrowser() (oauth-server-consent.ts) submits. It runs in workerd; types here are the
// ones Node and workerd share.
import { OAuthProvider, type OAuthHelpers } from "@cloudflare/workers-oauth-provider";

interface Env {
  OAUTH_PROVIDER: OAuthHelpers;
  ACCESS_TOKEN_TTL?: string;
}

const escape = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

async function authorize(request: Request, env: Env): Promise<Response> {
  const oauth = env.OAUTH_PROVIDER;
  if (request.method === "GET") {
    const authRequest = await oauth.parseAuthRequest(request);
    const consent = await oauth.beginConsent(authRequest);
    consent.headers.set("Content-Type", "text/html; charset=utf-8");
    const page = `<form method="post"><input type="hidden" name="handle" value="${escape(consent.handle)}">
<button name="decision" value="approve">Allow</button><button name="decision" value="deny">Deny</button></form>`;
    return new Response(page, { headers: consent.headers });
  }
  const form = await request.formData();
  const handle = String(form.get("handle"));
  if (form.get("decision") !== "approve") {
    const denied = await oauth.denyConsent(request, handle);
    return new Response(null, { status: 302, headers: denied.headers });
  }
  const approved = await oauth.approveConsent(request, handle);
  const { redirectTo } = await oauth.completeAuthorization({
    request: approved.request,
    userId: "ada",
    metadata: {},
    scope: approved.request.scope,
    props: { userId: "ada" },
  });
  approved.headers.set("Location", redirectTo);
  return new Response(null, { status: 302, headers: approved.headers });
}

// The provider needs its resource URL up front, and the port is only known once workerd
// listens, so it is built on the first request.
let provider: OAuthProvider<Env> | undefined;

export default {
  fetch(request: Request, env: Env, ctx: unknown): Promise<Response> {
    const origin = new URL(request.url).origin;
    provider ??= new OAuthProvider<Env>({
      apiRoute: "/api/",
      apiHandler: {
        fetch: (_request: Request, _env: Env, apiCtx: { props: unknown }) =>
          Promise.resolve(Response.json(apiCtx.props)),
      } as never,
      defaultHandler: { fetch: authorize as never },
      authorizeEndpoint: "/authorize",
      tokenEndpoint: "/token",
      clientRegistrationEndpoint: "/register",
      scopesSupported: ["profile", "offline_access"],
      resourceMetadata: { resource: `${origin}/api/` },
      accessTokenTTL: Number(env.ACCESS_TOKEN_TTL ?? 3600),
    });
    return provider.fetch(request as never, env as never, ctx as never) as Promise<Response>;
  },
};
