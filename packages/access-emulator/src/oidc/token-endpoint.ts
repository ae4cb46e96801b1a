import type { Response } from "miniflare";
import type { OidcRequest } from "../authority-protocol.js";
import { authenticateClient, type ClientAuthMethod } from "./client-authentication.js";
import type { Grant } from "./grants.js";
import { mintIdToken } from "./id-tokens.js";
import { errorResponse, failure, jsonResponse, type OAuthFailure } from "./oauth-errors.js";
import { formParameters, spaceSeparated, type Parameters } from "./oauth-parameters.js";
import type { OidcContext } from "./oidc-context.js";
import type { OidcScope } from "./oidc-options.js";
import { isCodeVerifier, verifierMatches } from "./pkce.js";

type Answer = { ok: true; body: Record<string, unknown>; grant: Grant } | OAuthFailure;

async function tokenResponse(
  context: OidcContext,
  grant: Grant,
  options: { nonce?: string; accessScope?: OidcScope[] },
): Promise<Answer> {
  const { app } = context;
  const accessScope = options.accessScope ?? grant.scope;
  const issued = context.grants.issueTokens(
    grant,
    app.accessTokenSeconds,
    app.refreshTokenSeconds,
    accessScope,
  );
  const change = context.faults.idToken;
  delete context.faults.idToken;
  const idToken = await mintIdToken(context.keys, {
    issuer: context.issuer(),
    grant: { ...grant, scope: accessScope },
    lifetimeSeconds: app.accessTokenSeconds,
    ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
    ...(change === undefined ? {} : { change }),
  });
  return {
    ok: true,
    grant,
    body: {
      access_token: issued.accessToken,
      token_type: "Bearer",
      expires_in: issued.expiresIn,
      scope: accessScope.join(" "),
      id_token: idToken,
      ...(issued.refreshToken === undefined ? {} : { refresh_token: issued.refreshToken }),
    },
  };
}

/** RFC 6749 §4.1.3 with RFC 7636 §4.5–4.6. */
async function authorizationCodeGrant(
  params: Parameters,
  clientAuth: ClientAuthMethod,
  context: OidcContext,
): Promise<Answer> {
  const code = params.get("code");
  const redirectUri = params.get("redirect_uri");
  const verifier = params.get("code_verifier");
  if (code === undefined) return failure("invalid_request", "code is missing.");
  if (redirectUri === undefined) return failure("invalid_request", "redirect_uri is missing.");
  if (verifier !== undefined && !isCodeVerifier(verifier)) {
    return failure("invalid_request", "code_verifier must be 43 to 128 unreserved characters.");
  }
  if (clientAuth === "none" && verifier === undefined) {
    return failure("invalid_request", "A client without a secret must send code_verifier.");
  }
  const grant = context.grants.redeemCode(code);
  if (grant === "unknown") return failure("invalid_grant", "The code is unknown.");
  if (grant === "expired") return failure("invalid_grant", "The code has expired.");
  if (grant === "redeemed") {
    return failure(
      "invalid_grant",
      "The code was already used; the tokens it gave were revoked (RFC 6749 §4.1.2).",
    );
  }
  if (grant.redirectUri !== redirectUri) {
    return failure("invalid_grant", "redirect_uri differs from the authorization request's.");
  }
  if (grant.codeChallenge === undefined) {
    if (verifier !== undefined) {
      return failure(
        "invalid_grant",
        "code_verifier was sent, but the authorization request had no code_challenge.",
      );
    }
  } else if (verifier === undefined) {
    return failure(
      "invalid_grant",
      "code_verifier is missing; the authorization request had a code_challenge.",
    );
  } else if (!verifierMatches(verifier, grant.codeChallenge)) {
    return failure("invalid_grant", "code_verifier does not match the code_challenge (S256).");
  }
  return tokenResponse(context, grant, grant.nonce === undefined ? {} : { nonce: grant.nonce });
}

/** RFC 6749 §6, rotating the refresh token. */
async function refreshTokenGrant(params: Parameters, context: OidcContext): Promise<Answer> {
  if (context.app.refreshTokenSeconds === null) {
    return failure(
      "unauthorized_client",
      "Refresh tokens are off for this application (set oidc.refreshTokenLifetime).",
    );
  }
  const token = params.get("refresh_token");
  if (token === undefined) return failure("invalid_request", "refresh_token is missing.");
  const scopeParam = params.get("scope");
  const scope = scopeParam === undefined ? undefined : (spaceSeparated(scopeParam) as OidcScope[]);
  const grant = context.grants.redeemRefreshToken(token, scope);
  switch (grant) {
    case "unknown":
      return failure("invalid_grant", "The refresh token is unknown or was revoked.");
    case "expired":
      return failure("invalid_grant", "The refresh token has expired; sign in again.");
    case "reused":
      return failure(
        "invalid_grant",
        "The refresh token was already used; every token of this sign-in is now revoked.",
      );
    case "scope_exceeded":
      return failure("invalid_scope", "scope asks for more than the refresh token was granted.");
    default:
      return tokenResponse(context, grant, scope === undefined ? {} : { accessScope: scope });
  }
}

/** `/token`: client authentication, then the grant. Answers are never cached (RFC 6749 §5.1). */
export async function tokenEndpoint(request: OidcRequest, context: OidcContext): Promise<Response> {
  const fail = (
    refusal: Pick<OAuthFailure, "error" | "description">,
    extra: { grantType?: string; clientAuth?: ClientAuthMethod } = {},
  ): Response => {
    context.record({ endpoint: "token", outcome: "error", error: refusal.error, ...extra });
    // RFC 6749 §5.2: a failed HTTP Basic authentication is a 401 with a challenge.
    const challenge =
      refusal.error === "invalid_client" && request.authorization !== null
        ? { "www-authenticate": 'Basic realm="Cloudflare Access OIDC"' }
        : undefined;
    return errorResponse(refusal, challenge === undefined ? {} : { headers: challenge });
  };
  if (request.method !== "POST") {
    context.record({ endpoint: "token", outcome: "error", error: "invalid_request" });
    return errorResponse(
      { error: "invalid_request", description: "Use POST for the token endpoint." },
      { status: 405, headers: { allow: "POST" } },
    );
  }
  const fault = context.faults.token;
  if (fault !== undefined) {
    delete context.faults.token;
    return fail({
      error: fault,
      description: "Failed on purpose: the test called failNextTokenRequest().",
    });
  }
  const parsed = formParameters(request);
  if (!parsed.ok) return fail(parsed);
  const { params } = parsed;
  const client = authenticateClient(request.authorization, params, context.app);
  if (!client.ok) return fail(client);
  const grantType = params.get("grant_type");
  const extra = {
    clientAuth: client.method,
    ...(grantType === undefined ? {} : { grantType: grantType.slice(0, 40) }),
  };
  let answer: Answer;
  if (grantType === undefined) {
    answer = failure("invalid_request", "grant_type is missing.");
  } else if (grantType === "authorization_code") {
    answer = await authorizationCodeGrant(params, client.method, context);
  } else if (grantType === "refresh_token") {
    answer = await refreshTokenGrant(params, context);
  } else {
    answer = failure(
      "unsupported_grant_type",
      'grant_type must be "authorization_code" or "refresh_token".',
    );
  }
  if (!answer.ok) return fail(answer, extra);
  context.record({ endpoint: "token", outcome: "ok", email: answer.grant.user.email, ...extra });
  return jsonResponse(answer.body);
}
