import type { AccessPolicy } from "../access-policy.js";
import type { SigningKeys } from "../signing-keys.js";
import type { ClientAuthMethod } from "./client-authentication.js";
import type { OidcGrants } from "./grants.js";
import type { IdTokenChange } from "./id-tokens.js";
import type { OAuthErrorCode } from "./oauth-errors.js";
import type { ResolvedOidcOptions } from "./oidc-options.js";

/** One call to an OIDC endpoint: what a test asserts on. Holds no code, token or secret. */
export interface OidcEvent {
  at: Date;
  endpoint: "authorization" | "token" | "userinfo";
  outcome: "ok" | "error" | "sign_in_page" | "blocked";
  /** The OAuth `error` answered, for an error. */
  error?: OAuthErrorCode;
  /** For the token endpoint. */
  grantType?: string;
  clientAuth?: ClientAuthMethod;
  /** Who signed in or whose token was used, when known. */
  email?: string;
}

/** What the endpoints share: the application, its grants and keys, and the test's controls. */
export interface OidcContext {
  app: ResolvedOidcOptions;
  policy: AccessPolicy;
  grants: OidcGrants;
  keys: SigningKeys;
  /** The `iss` of id_tokens and of the discovery document. */
  issuer(): string;
  /** Where the emulator serves this application's endpoints: `<url>/cdn-cgi/access/sso/oidc/<id>`. */
  localBase(): string;
  /** The emulated browser session at Access: who /authorization signs in without asking. */
  signedInEmail: string | null;
  /** Set by a test: the next request to an endpoint fails so, or the next id_token is changed. */
  faults: { authorization?: OAuthErrorCode; token?: OAuthErrorCode; idToken?: IdTokenChange };
  userIdFor(email: string): string;
  record(event: Omit<OidcEvent, "at">): void;
}
