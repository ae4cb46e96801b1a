import type { Response } from "miniflare";
import { OIDC_PATH_PREFIX, type OidcRequest } from "../authority-protocol.js";
import { AccessEmulatorError } from "../errors.js";
import type { SigningKeys } from "../signing-keys.js";
import { authorizationEndpoint } from "./authorization-endpoint.js";
import { discoveryDocument } from "./discovery.js";
import { OidcGrants } from "./grants.js";
import type { IdTokenChange } from "./id-tokens.js";
import { errorResponse, jsonResponse, type OAuthErrorCode } from "./oauth-errors.js";
import type { OidcContext, OidcEvent } from "./oidc-context.js";
import type { ResolvedOidcOptions } from "./oidc-options.js";
import { tokenEndpoint } from "./token-endpoint.js";
import { userinfoEndpoint } from "./userinfo-endpoint.js";

/** Errors a test can make the next authorization answer with (sent to the redirect URI). */
export type AuthorizationFault = Extract<
  OAuthErrorCode,
  "access_denied" | "login_required" | "server_error" | "temporarily_unavailable"
>;

/** Errors a test can make the next token request answer with. */
export type TokenFault = Extract<
  OAuthErrorCode,
  | "invalid_grant"
  | "invalid_client"
  | "invalid_request"
  | "server_error"
  | "temporarily_unavailable"
>;

const AUTHORIZATION_FAULTS: readonly AuthorizationFault[] = [
  "access_denied",
  "login_required",
  "server_error",
  "temporarily_unavailable",
];
const TOKEN_FAULTS: readonly TokenFault[] = [
  "invalid_grant",
  "invalid_client",
  "invalid_request",
  "server_error",
  "temporarily_unavailable",
];
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** The emulated Access for SaaS OIDC application, as a test sees and steers it. */
export interface OidcApplication {
  readonly clientId: string;
  /** The client secret. Never logged by the emulator; keep it out of your snapshots too. */
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
  /** The `iss` of id_tokens: app-scoped, `…/cdn-cgi/access/sso/oidc/<client id>`. */
  readonly issuer: string;
  /** `<emulator url>/cdn-cgi/access/sso/oidc/<client id>/.well-known/openid-configuration` */
  readonly discoveryUrl: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly userinfoEndpoint: string;
  readonly jwksUri: string;
  /** Every call to /authorization, /token and /userinfo, and how it ended. No secret in it. */
  readonly events: readonly OidcEvent[];
  /**
   * Emulates a browser that holds an Access session for `email`: /authorization signs them in at
   * once, with no page (unless `prompt=login`). The policy still applies.
   */
  signIn(email: string): void;
  /** Ends the emulated session: /authorization shows the sign-in page again. */
  signOut(): void;
  /** Revokes everything the user holds (codes, access and refresh tokens) and ends their session. */
  revokeUser(email: string): void;
  /** Every access token issued so far expires now; refresh tokens keep working. */
  expireAccessTokens(): void;
  /** The next valid authorization request is sent back to its redirect URI with this error. */
  failNextAuthorization(error?: AuthorizationFault): void;
  /** The next token request is answered with this error, before anything else is checked. */
  failNextTokenRequest(error?: TokenFault): void;
  /**
   * The next successful token response carries a changed id_token: `{ claims }` merged in and
   * still properly signed, or `{ replace }` for any token at all. For testing a relying party.
   */
  alterNextIdToken(change: IdTokenChange): void;
}

function invalidArgument(message: string): AccessEmulatorError {
  return new AccessEmulatorError("ERR_INVALID_ARGUMENT", message);
}

/** Routes `/cdn-cgi/access/sso/oidc/<client id>/…` to the endpoints of the one OIDC application. */
export class OidcProvider {
  readonly events: OidcEvent[] = [];
  private emulatorUrl: string | undefined;
  private readonly context: OidcContext;

  constructor(
    private readonly app: ResolvedOidcOptions,
    teamDomain: string,
    keys: SigningKeys,
    userIdFor: (email: string) => string,
  ) {
    this.context = {
      app,
      policy: {
        type: "self_hosted",
        allowedEmails: app.allowedEmails,
        allowedEmailDomains: app.allowedEmailDomains,
      },
      grants: new OidcGrants(),
      keys,
      issuer: () =>
        app.issuer === "team-domain"
          ? `${teamDomain}${OIDC_PATH_PREFIX}${app.clientId}`
          : this.localBase(),
      localBase: () => this.localBase(),
      signedInEmail: null,
      faults: {},
      userIdFor,
      record: (event) => this.events.push({ at: new Date(), ...event }),
    };
  }

  /** Known once workerd listens; every request arrives after that. */
  setEmulatorUrl(url: string): void {
    this.emulatorUrl = url;
  }

  private localBase(): string {
    return `${this.emulatorUrl}${OIDC_PATH_PREFIX}${this.app.clientId}`;
  }

  async handle(request: OidcRequest): Promise<Response> {
    const slash = request.path.indexOf("/");
    const clientId = slash === -1 ? request.path : request.path.slice(0, slash);
    const endpoint = slash === -1 ? "" : request.path.slice(slash + 1);
    if (clientId !== this.app.clientId) {
      return errorResponse(
        { error: "invalid_request", description: "No OIDC application has this client id." },
        { status: 404 },
      );
    }
    switch (endpoint) {
      case ".well-known/openid-configuration":
        return jsonResponse(discoveryDocument(this.context));
      case "jwks":
        return jsonResponse({ keys: this.context.keys.certsDocument().keys });
      case "authorization":
        return authorizationEndpoint(request, this.context);
      case "token":
        return tokenEndpoint(request, this.context);
      case "userinfo":
        return userinfoEndpoint(request, this.context);
      default:
        return errorResponse(
          {
            error: "invalid_request",
            description:
              "No such endpoint: use .well-known/openid-configuration, authorization, token, userinfo or jwks.",
          },
          { status: 404 },
        );
    }
  }

  api(live: (method: string) => void): OidcApplication {
    const { context } = this;
    const base = (): string => this.localBase();
    const normalizedEmail = (method: string, email: unknown): string => {
      if (typeof email !== "string" || !EMAIL.test(email.trim())) {
        throw invalidArgument(`${method}() needs an email address, got ${JSON.stringify(email)}.`);
      }
      return email.trim().toLowerCase();
    };
    return {
      clientId: this.app.clientId,
      clientSecret: this.app.clientSecret,
      redirectUris: this.app.redirectUris,
      get issuer() {
        return context.issuer();
      },
      get discoveryUrl() {
        return `${base()}/.well-known/openid-configuration`;
      },
      get authorizationEndpoint() {
        return `${base()}/authorization`;
      },
      get tokenEndpoint() {
        return `${base()}/token`;
      },
      get userinfoEndpoint() {
        return `${base()}/userinfo`;
      },
      get jwksUri() {
        return `${base()}/jwks`;
      },
      events: this.events,
      signIn(email) {
        live("oidc.signIn");
        context.signedInEmail = normalizedEmail("oidc.signIn", email);
      },
      signOut() {
        live("oidc.signOut");
        context.signedInEmail = null;
      },
      revokeUser(email) {
        live("oidc.revokeUser");
        const normalized = normalizedEmail("oidc.revokeUser", email);
        context.grants.revokeUser(normalized);
        if (context.signedInEmail === normalized) context.signedInEmail = null;
      },
      expireAccessTokens() {
        live("oidc.expireAccessTokens");
        context.grants.expireAccessTokens();
      },
      failNextAuthorization(error = "access_denied") {
        live("oidc.failNextAuthorization");
        if (!AUTHORIZATION_FAULTS.includes(error)) {
          throw invalidArgument(
            `oidc.failNextAuthorization() takes one of ${AUTHORIZATION_FAULTS.join(", ")}, got ${JSON.stringify(error)}.`,
          );
        }
        context.faults.authorization = error;
      },
      failNextTokenRequest(error = "invalid_grant") {
        live("oidc.failNextTokenRequest");
        if (!TOKEN_FAULTS.includes(error)) {
          throw invalidArgument(
            `oidc.failNextTokenRequest() takes one of ${TOKEN_FAULTS.join(", ")}, got ${JSON.stringify(error)}.`,
          );
        }
        context.faults.token = error;
      },
      alterNextIdToken(change) {
        live("oidc.alterNextIdToken");
        const valid =
          typeof change === "object" &&
          change !== null &&
          (("claims" in change && typeof change.claims === "object" && change.claims !== null) ||
            ("replace" in change && typeof change.replace === "function"));
        if (!valid) {
          throw invalidArgument(
            "oidc.alterNextIdToken() takes { claims: { … } } or { replace: (idToken) => string }.",
          );
        }
        context.faults.idToken = change;
      },
    };
  }
}
