import { Response } from "../miniflare-module.js";
import type { OidcRequest } from "../authority-protocol.js";
import { blockPage, signInPage } from "../access-pages.js";
import { isEmailAllowed } from "../access-policy.js";
import { errorResponse, failure, type OAuthErrorCode, type OAuthResult } from "./oauth-errors.js";
import {
  formParameters,
  queryParameters,
  spaceSeparated,
  type Parameters,
} from "./oauth-parameters.js";
import type { OidcContext } from "./oidc-context.js";
import type { OidcScope, ResolvedOidcOptions } from "./oidc-options.js";
import { isS256Challenge } from "./pkce.js";

// Bounds that keep what is echoed back (state in a Location header) and stored reasonable.
const MAX_STATE = 2048;
const MAX_NONCE = 512;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}$/;

/** Where errors may be sent once the client and its redirect URI are known good. */
interface Client {
  clientId: string;
  redirectUri: string;
  state?: string;
}

/** What the rest of a valid request asks for. */
interface Asked {
  scope: OidcScope[];
  prompt: string[];
  nonce?: string;
  codeChallenge?: string;
  loginHint?: string;
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

/** RFC 6749 §4.1.2.1: a bad client or redirect URI is never redirected to. */
function trustedClient(params: Parameters, app: ResolvedOidcOptions): OAuthResult<Client> {
  const clientId = params.get("client_id");
  const redirectUri = params.get("redirect_uri");
  const state = params.get("state");
  if (clientId === undefined) return failure("invalid_request", "client_id is missing.");
  if (clientId !== app.clientId) {
    return failure("invalid_request", "client_id is not this application's client id.");
  }
  if (redirectUri === undefined) return failure("invalid_request", "redirect_uri is missing.");
  if (!app.redirectUris.includes(redirectUri)) {
    return failure(
      "invalid_request",
      "redirect_uri is not one of the application's redirect URIs (compared exactly).",
    );
  }
  if (state !== undefined && state.length > MAX_STATE) {
    return failure("invalid_request", `state is longer than ${MAX_STATE} characters.`);
  }
  return { ok: true, clientId, redirectUri, ...(state === undefined ? {} : { state }) };
}

/** RFC 7636 §4.3: only S256; without a method a challenge would be "plain", which is refused. */
function pkceProblem(params: Parameters, required: boolean): string | undefined {
  const challenge = params.get("code_challenge");
  const method = params.get("code_challenge_method");
  if (challenge === undefined) {
    if (method !== undefined) return "code_challenge_method without code_challenge.";
    return required
      ? "PKCE is required: send code_challenge and code_challenge_method=S256."
      : undefined;
  }
  if (method !== "S256") return 'code_challenge_method must be "S256".';
  if (!isS256Challenge(challenge)) {
    return "code_challenge is not 43 base64url characters (an S256 digest).";
  }
  return undefined;
}

function readRequest(params: Parameters, app: ResolvedOidcOptions): OAuthResult<Asked> {
  const responseType = params.get("response_type");
  if (responseType === undefined) return failure("invalid_request", "response_type is missing.");
  if (responseType !== "code") {
    return failure("unsupported_response_type", 'Only response_type "code" is supported.');
  }
  const scopeParam = params.get("scope");
  if (scopeParam === undefined) {
    return failure("invalid_request", 'scope is missing; include "openid".');
  }
  const scope = spaceSeparated(scopeParam);
  if (!scope.includes("openid")) return failure("invalid_scope", 'scope must include "openid".');
  const unknown = scope.filter((item) => !(app.scopes as string[]).includes(item));
  if (unknown.length > 0) {
    const listed = unknown.join(" ").slice(0, 200);
    return failure("invalid_scope", `This application does not grant: ${listed}.`);
  }
  const pkce = pkceProblem(params, app.pkceRequired);
  if (pkce !== undefined) return failure("invalid_request", pkce);
  const nonce = params.get("nonce");
  if (nonce !== undefined && nonce.length > MAX_NONCE) {
    return failure("invalid_request", `nonce is longer than ${MAX_NONCE} characters.`);
  }
  const prompt = spaceSeparated(params.get("prompt") ?? "");
  if (prompt.includes("none") && prompt.length > 1) {
    return failure("invalid_request", 'prompt "none" cannot be combined with other values.');
  }
  const loginHint = params.get("login_hint");
  if (loginHint !== undefined && !EMAIL.test(loginHint)) {
    return failure("invalid_request", "login_hint must be an email address.");
  }
  const codeChallenge = params.get("code_challenge");
  return {
    ok: true,
    scope: scope as OidcScope[],
    prompt,
    ...(nonce === undefined ? {} : { nonce }),
    ...(codeChallenge === undefined ? {} : { codeChallenge }),
    ...(loginHint === undefined ? {} : { loginHint }),
  };
}

function html(body: string | null, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      ...headers,
    },
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
  const record = (error: OAuthErrorCode): void =>
    context.record({ endpoint: "authorization", outcome: "error", error });
  if (request.method !== "GET" && request.method !== "HEAD" && request.method !== "POST") {
    record("invalid_request");
    return errorResponse(
      { error: "invalid_request", description: "Use GET or POST for the authorization endpoint." },
      { status: 405, headers: { allow: "GET, POST" } },
    );
  }
  const parsed = request.method === "POST" ? formParameters(request) : queryParameters(request);
  if (!parsed.ok) {
    record(parsed.error);
    return errorResponse(parsed);
  }
  const client = trustedClient(parsed.params, app);
  if (!client.ok) {
    record(client.error);
    return errorResponse(client);
  }
  const { params } = parsed;
  const back = (error: OAuthErrorCode, description: string): Response => {
    record(error);
    return redirectBack(client.redirectUri, {
      error,
      error_description: description,
      state: client.state,
    });
  };

  const fault = context.faults.authorization;
  if (fault !== undefined) {
    delete context.faults.authorization;
    return back(fault, "Failed on purpose: the test called failNextAuthorization().");
  }
  const asked = readRequest(params, app);
  if (!asked.ok) return back(asked.error, asked.description);

  const email = asked.loginHint ?? (asked.prompt.includes("login") ? null : context.signedInEmail);
  if (email === null) {
    if (asked.prompt.includes("none")) return back("login_required", "Nobody is signed in.");
    context.record({ endpoint: "authorization", outcome: "sign_in_page" });
    const page = signInPage({
      heading: `Sign in to OIDC application ${app.clientId.slice(0, 12)}`,
      method: "get",
      emailField: "login_hint",
      hidden: Object.fromEntries([...params].filter(([name]) => name !== "login_hint")),
      allowedEmails: app.allowedEmails,
    });
    return html(request.method === "HEAD" ? null : page);
  }
  const normalized = email.trim().toLowerCase();
  if (!isEmailAllowed(context.policy, normalized)) {
    context.record({ endpoint: "authorization", outcome: "blocked", email: normalized });
    return html(blockPage("email_not_allowed"), 403, {
      "access-emulator-reason": "email_not_allowed",
    });
  }

  const code = context.grants.issueCode({
    clientId: client.clientId,
    redirectUri: client.redirectUri,
    scope: asked.scope,
    user: {
      email: normalized,
      sub: context.userIdFor(normalized),
      authTime: Math.floor(Date.now() / 1000),
    },
    ...(asked.nonce === undefined ? {} : { nonce: asked.nonce }),
    ...(asked.codeChallenge === undefined ? {} : { codeChallenge: asked.codeChallenge }),
  });
  context.record({ endpoint: "authorization", outcome: "ok", email: normalized });
  return redirectBack(client.redirectUri, { code, state: client.state });
}
