import {
  AuthorizationError,
  CimdFetchError,
  type OAuthAuthorizationServer,
} from "@cloudflare/workers-oauth-provider";
import { accessAuthorizationUrl } from "./access-oidc.js";
import { isPlausibleClientId, isPlausibleConsentHandle } from "./input-bounds.js";
import type { OAuthModeEnv } from "./oauth-env.js";
import { OAUTH_PATHS } from "./oauth-paths.js";
import type { OAuthSettings } from "./oauth-settings.js";
import { consentPage, htmlPage, plainText } from "./pages.js";
import { saveUpstream } from "./upstream-state.js";

/**
 * `GET /oauth/authorize`: check the client's request and ask the person whether this client may
 * act for them. `POST`: their answer. The form carries only the handle workers-oauth-provider
 * issued and the decision: the approved request is read back from the server's own storage,
 * bound to this browser by a cookie, so a tampered hidden field cannot change the client, the
 * redirect URI or the state. Only then does the browser go to Cloudflare Access.
 */
export async function authorize(
  request: Request,
  env: OAuthModeEnv,
  authorization: OAuthAuthorizationServer<OAuthModeEnv>,
  settings: OAuthSettings,
): Promise<Response> {
  const oauth = authorization.getOAuthApi(env);
  const origin = new URL(request.url).origin;
  try {
    if (request.method === "GET") {
      // The provider looks a registered client up in KV by this id: bounded before it does.
      const clientIds = new URL(request.url).searchParams.getAll("client_id");
      if (clientIds.some((id) => !isPlausibleClientId(id))) {
        return startAgain(400, "The client id is not one this proxy server issued or can resolve.");
      }
      const authRequest = await oauth.parseAuthRequest(request);
      const details = await oauth.describeConsent(authRequest);
      const consent = await oauth.beginConsent(authRequest);
      return consentPage(
        { ...details, proxyHost: new URL(origin).host, handle: consent.handle },
        consent.headers,
      );
    }
    if (request.method !== "POST") {
      return plainText(405, "Only GET and POST are allowed here.", { Allow: "GET, POST" });
    }
    const form = await request.formData().catch(() => undefined);
    const handle = form?.get("handle");
    if (!isPlausibleConsentHandle(handle)) return startAgain(400, "The form was incomplete.");
    if (form?.get("decision") !== "approve") {
      const denied = await oauth.denyConsent(request, handle);
      return new Response(null, { status: 302, headers: denied.headers });
    }
    const approved = await oauth.approveConsent(request, handle);
    const upstream = await saveUpstream(env, approved.request);
    approved.headers.append("Set-Cookie", upstream.setCookie);
    approved.headers.set(
      "Location",
      accessAuthorizationUrl(settings.access, {
        redirectUri: `${origin}${OAUTH_PATHS.CALLBACK}`,
        state: upstream.state,
        nonce: upstream.nonce,
        codeChallenge: upstream.codeChallenge,
      }),
    );
    return new Response(null, { status: 302, headers: approved.headers });
  } catch (error) {
    // parseAuthRequest attaches a redirect only once the client and its exact redirect URI are
    // known; every other refusal is shown here and never redirected.
    if (error instanceof AuthorizationError && error.redirectTo) {
      return new Response(null, { status: 302, headers: { Location: error.redirectTo } });
    }
    if (error instanceof AuthorizationError) return startAgain(400, error.description);
    if (error instanceof CimdFetchError) {
      return startAgain(400, "The client's metadata document could not be fetched or is invalid.");
    }
    throw error;
  }
}

function startAgain(status: number, why: string): Response {
  return htmlPage(status, {
    title: "This sign-in cannot continue",
    paragraphs: [
      why,
      "The page may have expired, been used already, or been opened in another browser. Run access-bridge login --remote <this proxy's URL> again.",
    ],
  });
}
