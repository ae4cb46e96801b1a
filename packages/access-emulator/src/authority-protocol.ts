// The contract between the gate (in workerd) and the authority (in Node), which holds the
// mutable state the Node API changes synchronously: service tokens, signing keys, decisions.
// Plain types and constants only, so this file type-checks on both sides.

export const AUTHORITY_ORIGIN = "http://authority.internal";

export const AUTHORITY_PATHS = {
  authorize: "/authorize",
  certs: "/certs",
  identity: "/identity",
  signIn: "/sign-in",
  oidc: "/oidc",
} as const;

/** Where Access serves an OIDC (Access for SaaS) application, on the team domain and here. */
export const OIDC_PATH_PREFIX = "/cdn-cgi/access/sso/oidc/";

/**
 * An OIDC request as the gate hands it to the authority: in a JSON body, because the hop to Node
 * is HTTP with Node's 16 KiB header limit, and a client may send more than that in headers.
 * Only what the endpoints read travels.
 */
export interface OidcRequest {
  method: string;
  /** What followed OIDC_PATH_PREFIX, without the query: `<client id>/<endpoint>`. */
  path: string;
  /** The query string without its "?". */
  query: string;
  authorization: string | null;
  contentType: string | null;
  /** The body as text; empty for none. */
  body: string;
}

/** What a request presented to Access, as the gate read it from headers and cookies. */
export type PresentedCredential =
  | { kind: "none" }
  | { kind: "service_token"; clientId: string; clientSecret: string }
  | { kind: "user_token_header"; token: string }
  | { kind: "cookie"; token: string };

export type CredentialKind = PresentedCredential["kind"];

export interface RequestSummary {
  method: string;
  host: string;
  path: string;
  websocket: boolean;
}

export interface AuthorizeRequest {
  credential: PresentedCredential;
  request: RequestSummary;
}

/** Why a request was let through or blocked; stable codes that tests and callers match on. */
export type DecisionReason =
  | "valid_service_token"
  | "valid_user_token"
  | "valid_session_cookie"
  | "no_credentials"
  | "service_token_incomplete"
  | "service_token_unknown"
  | "service_token_wrong_secret"
  | "service_token_revoked"
  | "token_malformed"
  | "token_expired"
  | "token_not_yet_valid"
  | "token_bad_signature"
  | "token_unknown_key"
  | "token_wrong_audience"
  | "token_wrong_issuer"
  | "email_not_allowed"
  | "service_auth_only";

export type AuthorizeResponse =
  | {
      allow: true;
      reason: DecisionReason;
      /** The application token: forwarded as Cf-Access-Jwt-Assertion. */
      assertion: string;
      /** What `ctx.access.getIdentity()` returns to a Worker origin for this request. */
      identity: Record<string, unknown>;
      email?: string;
      /** Set when the answer should carry a fresh CF_Authorization cookie. */
      sessionCookie?: { value: string; maxAgeSeconds: number };
    }
  | { allow: false; reason: DecisionReason; status: 302 | 403 };

export interface SignInRequest {
  email: string;
  host: string;
}

export type SignInResponse =
  { ok: true; token: string; maxAgeSeconds: number } | { ok: false; reason: DecisionReason };

// A type alias, not an interface: Miniflare's `bindings` are typed as JSON values (an index
// signature), which an interface never satisfies.
/** The application as the gate needs it to shape answers; the policy itself stays in Node. */
export type GateConfig = {
  type: "self_hosted" | "service_auth_only";
  teamDomain: string;
  aud: string;
  allowedEmails: string[];
  originUrl: string | null;
  /** The header workerd reads a Worker origin's `ctx.access` from (Miniflare's `MF-Access-Blob`). */
  accessBlobHeader: string;
};
