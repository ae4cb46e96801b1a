import type { AuthorizationServerMetadata } from "./discovery.js";
import { AuthRelayError, oauthErrorText } from "./errors.js";
import { statesMatch } from "./pkce.js";

export interface AuthorizationRequest {
  metadata: AuthorizationServerMetadata;
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  scope?: string;
  /** RFC 8707 resource indicator, when the caller targets one protected resource. */
  resource?: string;
}

/** RFC 6749 §4.1.1 with RFC 7636 §4.3: the URL the user opens. */
export function buildAuthorizationUrl(request: AuthorizationRequest): string {
  const endpoint = request.metadata.authorization_endpoint;
  if (!endpoint) {
    throw new AuthRelayError("ERR_UNSUPPORTED_SERVER", {
      what: `${request.metadata.issuer} publishes no authorization_endpoint.`,
      why: "The localhost and relay transports need a browser-based authorization code flow.",
      fix: "Use the device flow (--device) if the server supports it.",
    });
  }
  const methods = request.metadata.code_challenge_methods_supported;
  if (methods !== undefined && !methods.includes("S256")) {
    throw new AuthRelayError("ERR_UNSUPPORTED_SERVER", {
      what: `${request.metadata.issuer} does not offer the S256 PKCE method.`,
      why: "RFC 7636 §4.2: `plain` would put the verifier itself in the browser's URL.",
      fix: "Ask the server's operator to enable PKCE with S256.",
    });
  }
  const url = new URL(endpoint);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", request.clientId);
  url.searchParams.set("redirect_uri", request.redirectUri);
  url.searchParams.set("state", request.state);
  url.searchParams.set("code_challenge", request.codeChallenge);
  url.searchParams.set("code_challenge_method", "S256");
  if (request.scope) url.searchParams.set("scope", request.scope);
  if (request.resource) url.searchParams.set("resource", request.resource);
  return url.href;
}

/** The callback parameters, from the loopback server's query string or the relay's message. */
export interface AuthorizationResponse {
  state?: string;
  code?: string;
  error?: string;
  error_description?: string;
  iss?: string;
}

/**
 * Checks a callback and returns its code. Order matters: state first (RFC 6749 §10.12, so a
 * forged error cannot end a login), then the issuer (RFC 9207 §2.4), then the outcome.
 */
export function acceptAuthorizationResponse(
  response: AuthorizationResponse,
  expectedState: string,
  metadata: AuthorizationServerMetadata,
): string {
  if (!statesMatch(expectedState, response.state)) {
    throw new AuthRelayError("ERR_STATE_MISMATCH", {
      what: "The authorization response carried a state this login did not create.",
      why: "It belongs to another login attempt, or someone is forging callbacks (CSRF).",
      fix: "Start the login again from this terminal and finish it in the browser it opens.",
    });
  }
  if (
    response.iss !== undefined
      ? response.iss !== metadata.issuer
      : metadata.authorization_response_iss_parameter_supported === true
  ) {
    throw new AuthRelayError("ERR_ISSUER_MISMATCH", {
      what: `The authorization response ${response.iss === undefined ? "lacks" : "names another"} issuer.`,
      why: `RFC 9207 §2.4: ${metadata.issuer} identifies itself, so a missing or different iss means the response came from elsewhere (mix-up).`,
      fix: "Start the login again; if it repeats, check which server the browser was sent to.",
    });
  }
  if (response.error !== undefined) {
    const denied = response.error === "access_denied";
    throw new AuthRelayError(
      denied ? "ERR_ACCESS_DENIED" : "ERR_AUTHORIZATION_FAILED",
      {
        what: `The authorization server ended the login: ${oauthErrorText(response.error, response.error_description)}.`,
        why: denied ? "Consent was declined in the browser." : "RFC 6749 §4.1.2.1 error response.",
        fix: "Run the login again and approve the request, or ask the server's operator.",
      },
      { oauthError: response.error },
    );
  }
  if (!response.code) {
    throw new AuthRelayError("ERR_INVALID_CALLBACK", {
      what: "The authorization response carried neither a code nor an error.",
      why: "RFC 6749 §4.1.2 requires one of them.",
      fix: "Start the login again.",
    });
  }
  return response.code;
}
