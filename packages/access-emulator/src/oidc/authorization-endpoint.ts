import { Response } from "miniflare";
import type { OidcRequest } from "../authority-protocol.js";
import { blockPage, signInPage } from "../access-pages.js";
import { isEmailAllowed } from "../access-policy.js";
import { errorResponse, type OAuthErrorCode } from "./oauth-errors.js";
import { formParameters, queryParameters, type Parameters } from "./oauth-parameters.js";
import type { OidcContext } from "./oidc-context.js";
import type { OidcScope } from "./oidc-options.js";
import { isS256Challenge } from "./pkce.js";

// Bounds that keep what is echoed back (state in a Location header) and stored reasonable.
const MAX_STATE = 2048;
const MAX_NONCE = 512;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}$/;

export function spaceSeparated(value: string): string[] {
  return [...new Set(value.split(" ").filter((item) => item !== ""))];
}

function redirectBack(redirectUri: string, params: Record<string, string | undefined>): Response {
  const target = new URL(redirectUri);
  // RFC 6749 §3.1.2: the registered URI's own query stays; ours is appended to it.
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) target.searchParams.append(name, value);
  }
  return new Response(null, {
    status: 302,
    headers: { location: target.href, "cache-control": "no-store" },
  });
}

/**
 * `/authorization` (OIDC Core §3.1.2, RFC 6749 §4.1.1, RFC 7636 §4.3). Until the client and
 * redirect URI are known good, errors are answered here as JSON; after that they go back to the
 * client's redirect URI (RFC 6749 §4.1.2.1). The user signs in by `login_hint` (the emulator's
 * test hook), by the emulated session (`signIn()`), or on the sign-in page.
 */
export function authorizationEndpoint(request: OidcRequest, context: OidcContext): Response {
  const { app } = context;
  const fail = (error: OAuthErrorCode, description: string): Response => {
    context.record({ endpoint: "authorization", outcome: "error", error });
    return errorResponse({ error, description });
  };
  if (request.method !== "GET" && request.method !== "HEAD" && request.method !== "POST") {
    context.record({ endpoint: "authorization", outcome: "error", error: "invalid_request" });
    return errorResponse(
      { error: "invalid_request", description: "Use GET or POST for the authorization endpoint." },
      { status: 405, headers: { allow: "GET, POST" } },
    );
  }
  const parsed = request.method === "POST" ? formParameters(request) : queryParameters(request);
  if (!parsed.ok) return fail(parsed.error, parsed.description);
  const params: Parameters = parsed.params;

  const clientId = params.get("client_id");
  if (clientId === undefined) return fail("invalid_request", "client_id is missing.");
  if (clientId !== app.clientId) {
    return fail("invalid_request", "client_id is not this application's client id.");
  }
  const redirectUri = params.get("redirect_uri");
  if (redirectUri === undefined) return fail("invalid_request", "redirect_uri is missing.");
  if (!app.redirectUris.includes(redirectUri)) {
    return fail(
      "invalid_request",
      "redirect_uri is not one of the application's redirect URIs (compared exactly).",
    );
  }
  const state = params.get("state");
  if (state !== undefined && state.length > MAX_STATE) {
    return fail("invalid_request", `state is longer than ${MAX_STATE} characters.`);
  }

  const back = (error: OAuthErrorCode, description: string): Response => {
    context.record({ endpoint: "authorization", outcome: "error", error });
    return redirectBack(redirectUri, { error, error_description: description, state });
  };
  const fault = context.faults.authorization;
  if (fault !== undefined) {
    delete context.faults.authorization;
    return back(fault, "Failed on purpose: the test called failNextAuthorization().");
  }

  const responseType = params.get("response_type");
  if (responseType === undefined) return back("invalid_request", "response_type is missing.");
  if (responseType !== "code") {
    return back("unsupported_response_type", 'Only response_type "code" is supported.');
  }
  const scopeParam = params.get("scope");
  if (scopeParam === undefined)
    return back("invalid_request", 'scope is missing; include "openid".');
  const scope = spaceSeparated(scopeParam);
  if (!scope.includes("openid")) return back("invalid_scope", 'scope must include "openid".');
  const unknown = scope.filter((item) => !(app.scopes as string[]).includes(item));
  if (unknown.length > 0) {
    return back(
      "invalid_scope",
      `This application does not grant: ${unknown.join(" ").slice(0, 200)}.`,
    );
  }

  const challenge = params.get("code_challenge");
  const method = params.get("code_challenge_method");
  if (method !== undefined && method !== "S256") {
    return back("invalid_request", 'code_challenge_method must be "S256".');
  }
  if (challenge === undefined) {
    if (method !== undefined)
      return back("invalid_request", "code_challenge_method without code_challenge.");
    if (app.pkceRequired) {
      return back(
        "invalid_request",
        "PKCE is required: send code_challenge and code_challenge_method=S256.",
      );
    }
  } else {
    // RFC 7636 §4.3: without a method the challenge is "plain", which the application refuses.
    if (method === undefined)
      return back("invalid_request", 'code_challenge_method must be "S256".');
    if (!isS256Challenge(challenge)) {
      return back(
        "invalid_request",
        "code_challenge is not 43 base64url characters (an S256 digest).",
      );
    }
  }
  const nonce = params.get("nonce");
  if (nonce !== undefined && nonce.length > MAX_NONCE) {
    return back("invalid_request", `nonce is longer than ${MAX_NONCE} characters.`);
  }
  const prompt = spaceSeparated(params.get("prompt") ?? "");
  if (prompt.includes("none") && prompt.length > 1) {
    return back("invalid_request", 'prompt "none" cannot be combined with other values.');
  }
  const loginHint = params.get("login_hint");
  if (loginHint !== undefined && !EMAIL.test(loginHint)) {
    return back("invalid_request", "login_hint must be an email address.");
  }

  const email = loginHint ?? (prompt.includes("login") ? null : context.signedInEmail);
  if (email === null) {
    if (prompt.includes("none")) return back("login_required", "Nobody is signed in.");
    context.record({ endpoint: "authorization", outcome: "sign_in_page" });
    const hidden = Object.fromEntries([...params].filter(([name]) => name !== "login_hint"));
    const html = signInPage({
      heading: `Sign in to OIDC application ${app.clientId.slice(0, 12)}`,
      method: "get",
      emailField: "login_hint",
      hidden,
      allowedEmails: app.allowedEmails,
    });
    return new Response(request.method === "HEAD" ? null : html, {
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
    });
  }
  const normalized = email.trim().toLowerCase();
  if (!isEmailAllowed(context.policy, normalized)) {
    context.record({ endpoint: "authorization", outcome: "blocked", email: normalized });
    return new Response(blockPage("email_not_allowed"), {
      status: 403,
      headers: {
        "content-type": "text/html; charset=utf-8",
        "access-emulator-reason": "email_not_allowed",
      },
    });
  }

  const code = context.grants.issueCode({
    clientId,
    redirectUri,
    scope: scope as OidcScope[],
    user: {
      email: normalized,
      sub: context.userIdFor(normalized),
      authTime: Math.floor(Date.now() / 1000),
    },
    ...(nonce === undefined ? {} : { nonce }),
    ...(challenge === undefined ? {} : { codeChallenge: challenge }),
  });
  context.record({ endpoint: "authorization", outcome: "ok", email: normalized });
  return redirectBack(redirectUri, { code, state });
}
