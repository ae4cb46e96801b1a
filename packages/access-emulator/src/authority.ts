import { decodeJwt } from "jose";
import { Response, type Request } from "./miniflare-module.js";
import { accessIdentity } from "./access-identity.js";
import { isEmailAllowed, type AccessPolicy } from "./access-policy.js";
import type { AppTokens } from "./app-tokens.js";
import { type AppTokenClaims } from "./app-tokens.js";
import {
  AUTHORITY_PATHS,
  type AuthorizeRequest,
  type AuthorizeResponse,
  type OidcRequest,
  type PresentedCredential,
  type SignInRequest,
  type SignInResponse,
} from "./authority-protocol.js";
import type { AccessDecision } from "./decisions.js";
import { errorResponse } from "./oidc/oauth-errors.js";
import type { OidcProvider } from "./oidc/oidc-provider.js";
import { redactClientId, type ServiceTokens } from "./service-tokens.js";
import type { SigningKeys } from "./signing-keys.js";

type Verdict =
  | { allow: true; response: AuthorizeResponse & { allow: true }; claims: AppTokenClaims }
  | { allow: false; response: AuthorizeResponse & { allow: false } };

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/**
 * The Node half of the emulator: the state that the Node API changes synchronously (service
 * tokens, keys) and the policy. The gate in workerd asks it over a Node-function service
 * binding, once per gated request, so a token revoked in a test is refused on the next request.
 */
export class Authority {
  readonly decisions: AccessDecision[] = [];

  constructor(
    private readonly policy: AccessPolicy,
    private readonly serviceTokens: ServiceTokens,
    private readonly keys: SigningKeys,
    private readonly appTokens: AppTokens,
    private readonly oidc: OidcProvider | undefined,
  ) {}

  readonly handle = async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    if (pathname === AUTHORITY_PATHS.oidc) {
      return this.oidc === undefined
        ? errorResponse(
            {
              error: "invalid_request",
              description: "This emulator has no OIDC application (start it with the oidc option).",
            },
            { status: 404 },
          )
        : this.oidc.handle((await request.json()) as OidcRequest);
    }
    switch (pathname) {
      case AUTHORITY_PATHS.authorize:
        return json(await this.authorize((await request.json()) as AuthorizeRequest));
      case AUTHORITY_PATHS.certs:
        return json(this.keys.certsDocument());
      case AUTHORITY_PATHS.identity:
        return this.identity((await request.json()) as PresentedCredential);
      case AUTHORITY_PATHS.signIn:
        return json(await this.signIn((await request.json()) as SignInRequest));
      default:
        return new Response(`The access emulator's authority has no route ${pathname}.`, {
          status: 404,
        });
    }
  };

  private async authorize({ credential, request }: AuthorizeRequest): Promise<AuthorizeResponse> {
    const verdict = await this.judge(credential);
    const { response } = verdict;
    this.decisions.push({
      at: new Date(),
      method: request.method,
      path: request.path,
      websocket: request.websocket,
      credential: credential.kind,
      outcome: response.allow ? "allowed" : "blocked",
      ...(response.allow ? {} : { status: response.status }),
      reason: response.reason,
      ...identityOf(credential, verdict.allow ? verdict.claims : undefined),
    });
    return response;
  }

  private async judge(credential: PresentedCredential): Promise<Verdict> {
    const block = (reason: AuthorizeResponse["reason"], status: 302 | 403 = 403): Verdict => ({
      allow: false,
      response: { allow: false, reason, status },
    });

    if (credential.kind === "none") {
      return block("no_credentials", this.policy.type === "self_hosted" ? 302 : 403);
    }
    if (credential.kind === "service_token") {
      if (credential.clientId === "" || credential.clientSecret === "") {
        return block("service_token_incomplete");
      }
      const reason = this.serviceTokens.check(credential.clientId, credential.clientSecret);
      if (reason !== "valid_service_token") return block(reason);
      const { token, maxAgeSeconds } = await this.appTokens.mintService(credential.clientId);
      const claims = decodeJwt<AppTokenClaims>(token);
      return {
        allow: true,
        claims,
        response: {
          allow: true,
          reason,
          assertion: token,
          identity: accessIdentity(claims),
          sessionCookie: { value: token, maxAgeSeconds },
        },
      };
    }

    const verified = await this.appTokens.verify(credential.token);
    if (!verified.ok) return block(verified.reason);
    const { claims } = verified;
    if (claims.common_name !== undefined) {
      // A session that a service token started ends when the token is revoked.
      if (!this.serviceTokens.isActive(claims.common_name)) return block("service_token_revoked");
    } else {
      if (this.policy.type === "service_auth_only") return block("service_auth_only");
      if (claims.email === undefined || !isEmailAllowed(this.policy, claims.email)) {
        return block("email_not_allowed");
      }
    }
    return {
      allow: true,
      claims,
      response: {
        allow: true,
        reason: credential.kind === "cookie" ? "valid_session_cookie" : "valid_user_token",
        // Access forwards the application token itself as the assertion.
        assertion: credential.token,
        identity: accessIdentity(claims),
        ...(claims.email === undefined ? {} : { email: claims.email }),
      },
    };
  }

  private async identity(credential: PresentedCredential): Promise<Response> {
    const verdict = await this.judge(credential);
    if (!verdict.allow) {
      return json({ err: "no valid app token", reason: verdict.response.reason }, 401);
    }
    return json(accessIdentity(verdict.claims));
  }

  private async signIn({ email }: SignInRequest): Promise<SignInResponse> {
    if (this.policy.type === "service_auth_only") return { ok: false, reason: "service_auth_only" };
    if (!isEmailAllowed(this.policy, email)) return { ok: false, reason: "email_not_allowed" };
    const token = await this.appTokens.mintUser(email);
    const { exp = 0 } = decodeJwt<AppTokenClaims>(token);
    return { ok: true, token, maxAgeSeconds: exp - Math.floor(Date.now() / 1000) };
  }
}

function identityOf(
  credential: PresentedCredential,
  claims: AppTokenClaims | undefined,
): { identity?: string } {
  if (credential.kind === "service_token" && credential.clientId !== "") {
    return { identity: redactClientId(credential.clientId) };
  }
  if (claims?.email !== undefined) return { identity: claims.email };
  if (claims?.common_name !== undefined) return { identity: redactClientId(claims.common_name) };
  return {};
}
