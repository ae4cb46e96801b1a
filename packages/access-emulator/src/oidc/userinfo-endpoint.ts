import type { Response } from "miniflare";
import type { OidcRequest } from "../authority-protocol.js";
import { userClaims } from "./id-tokens.js";
import { errorResponse, jsonResponse } from "./oauth-errors.js";
import type { OidcContext } from "./oidc-context.js";

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/** `/userinfo` (OIDC Core §5.3): the claims the access token's scope releases. */
export function userinfoEndpoint(request: OidcRequest, context: OidcContext): Response {
  if (request.method !== "GET" && request.method !== "POST") {
    context.record({ endpoint: "userinfo", outcome: "error", error: "invalid_request" });
    return errorResponse(
      { error: "invalid_request", description: "Use GET or POST for the userinfo endpoint." },
      { status: 405, headers: { allow: "GET, POST" } },
    );
  }
  // RFC 6750 §3: a 401 carries a Bearer challenge; with no token at all, no error code in it.
  const challenge = (error?: string): Record<string, string> => ({
    "www-authenticate": `Bearer realm="Cloudflare Access OIDC"${error === undefined ? "" : `, error="${error}"`}`,
  });
  const header = request.authorization;
  if (header === null) {
    context.record({ endpoint: "userinfo", outcome: "error", error: "invalid_token" });
    return errorResponse(
      {
        error: "invalid_token",
        description: "Send the access token as Authorization: Bearer <token>.",
      },
      { headers: challenge() },
    );
  }
  const match = BEARER.exec(header);
  const grant = match === null ? "unknown" : context.grants.findAccessToken(match[1]!);
  if (typeof grant === "string") {
    context.record({ endpoint: "userinfo", outcome: "error", error: "invalid_token" });
    const description =
      match === null
        ? "The Authorization header is not a Bearer token."
        : grant === "expired"
          ? "The access token has expired."
          : "The access token is unknown or was revoked.";
    return errorResponse(
      { error: "invalid_token", description },
      { headers: challenge("invalid_token") },
    );
  }
  context.record({ endpoint: "userinfo", outcome: "ok", email: grant.user.email });
  return jsonResponse(userClaims(grant.user, grant.scope));
}
