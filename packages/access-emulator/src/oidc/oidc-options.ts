import { randomBytes } from "node:crypto";
import { parseDuration } from "../durations.js";
import { AccessEmulatorError } from "../errors.js";

/** The scopes an Access for SaaS OIDC application can grant. */
export type OidcScope = "openid" | "email" | "profile" | "groups";

export const OIDC_SCOPES: readonly OidcScope[] = ["openid", "email", "profile", "groups"];

/**
 * An Access for SaaS application with the OIDC protocol: Access is the OpenID Provider and the
 * relying party (your app) signs people in through it.
 */
export interface OidcApplicationOptions {
  /** Where Access may send people back with a code. Compared exactly, as Access does. Required. */
  redirectUris: string[];
  /** The client id. Default: 64 random hex characters. It is part of every endpoint's path. */
  clientId?: string;
  /** The client secret. Default: 64 random hex characters. */
  clientSecret?: string;
  /** Emails that may sign in. With neither list, any email may. */
  allowedEmails?: string[];
  /** Email domains that may sign in, such as "example.com". */
  allowedEmailDomains?: string[];
  /** Scopes the application grants. Default ["openid", "email", "profile"]. */
  scopes?: OidcScope[];
  /** Lifetime of access tokens and id_tokens. Default "5m". Access accepts 1m to 24h. */
  accessTokenLifetime?: string;
  /** Issue refresh tokens, valid this long ("30d" is not a unit: use "720h"). Default: none. */
  refreshTokenLifetime?: string;
  /** "required" (default): every authorization request needs an S256 `code_challenge`. */
  pkce?: "required" | "optional";
  /** Let a public client redeem a code with PKCE and no secret. Default false. */
  allowPkceWithoutClientSecret?: boolean;
  /**
   * The `iss` of id_tokens and of the discovery document. "team-domain" (default):
   * `https://<team>.cloudflareaccess.com/cdn-cgi/access/sso/oidc/<client id>`, exactly what
   * Access uses. "emulator-url": the same path under the emulator's own URL, so a client that
   * finds every endpoint from the issuer (discovery, then `iss` check) works end to end.
   */
  issuer?: "team-domain" | "emulator-url";
}

export interface ResolvedOidcOptions {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  allowedEmails: string[];
  allowedEmailDomains: string[];
  scopes: OidcScope[];
  accessTokenSeconds: number;
  refreshTokenSeconds: number | null;
  pkceRequired: boolean;
  allowPkceWithoutClientSecret: boolean;
  issuer: "team-domain" | "emulator-url";
}

const CLIENT_ID = /^[A-Za-z0-9._~-]{1,128}$/;

function invalid(message: string): AccessEmulatorError {
  return new AccessEmulatorError("ERR_INVALID_OPTION", message);
}

function resolveRedirectUris(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalid(
      'oidc.redirectUris must list at least one absolute URL, such as ["http://127.0.0.1:8787/callback"].',
    );
  }
  return value.map((item: unknown, index) => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(String(item));
    } catch {
      parsed = undefined;
    }
    // RFC 6749 §3.1.2: an absolute URI without a fragment.
    if (
      typeof item !== "string" ||
      parsed === undefined ||
      parsed.hash !== "" ||
      item.includes("#")
    ) {
      throw invalid(
        `oidc.redirectUris[${index}] must be an absolute URL without a fragment, got ${JSON.stringify(item)}.`,
      );
    }
    return item;
  });
}

function resolveList(value: unknown, optionPath: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string" || item === "")) {
    throw invalid(`${optionPath} must be an array of non-empty strings.`);
  }
  return value.map((item: string) => item.trim().toLowerCase().replace(/^@/, ""));
}

function resolveSecret(value: unknown, optionPath: string): string {
  if (value === undefined) return randomBytes(32).toString("hex");
  if (typeof value !== "string" || value.length < 8) {
    throw invalid(`${optionPath} must be a string of at least 8 characters.`);
  }
  return value;
}

export function resolveOidcOptions(options: OidcApplicationOptions): ResolvedOidcOptions {
  if (typeof options !== "object" || options === null) {
    throw invalid(
      'oidc must be an object such as { redirectUris: ["http://127.0.0.1:8787/callback"] }.',
    );
  }
  const clientId = options.clientId ?? randomBytes(32).toString("hex");
  if (typeof clientId !== "string" || !CLIENT_ID.test(clientId)) {
    throw invalid(
      `oidc.clientId must be 1 to 128 letters, digits, ".", "_", "~" or "-" (it is part of the endpoints' path), got ${JSON.stringify(clientId)}.`,
    );
  }
  const scopes = options.scopes ?? ["openid", "email", "profile"];
  if (
    !Array.isArray(scopes) ||
    !scopes.includes("openid") ||
    scopes.some((scope) => !OIDC_SCOPES.includes(scope))
  ) {
    throw invalid(
      `oidc.scopes must include "openid" and only ${OIDC_SCOPES.map((scope) => `"${scope}"`).join(", ")}, got ${JSON.stringify(scopes)}.`,
    );
  }
  const pkce = options.pkce ?? "required";
  if (pkce !== "required" && pkce !== "optional") {
    throw invalid(`oidc.pkce must be "required" or "optional", got ${JSON.stringify(pkce)}.`);
  }
  const issuer = options.issuer ?? "team-domain";
  if (issuer !== "team-domain" && issuer !== "emulator-url") {
    throw invalid(
      `oidc.issuer must be "team-domain" or "emulator-url", got ${JSON.stringify(issuer)}.`,
    );
  }
  return {
    clientId,
    clientSecret: resolveSecret(options.clientSecret, "oidc.clientSecret"),
    redirectUris: resolveRedirectUris(options.redirectUris),
    allowedEmails: resolveList(options.allowedEmails, "oidc.allowedEmails"),
    allowedEmailDomains: resolveList(options.allowedEmailDomains, "oidc.allowedEmailDomains"),
    scopes: [...new Set(scopes)],
    accessTokenSeconds: parseDuration(
      options.accessTokenLifetime ?? "5m",
      "oidc.accessTokenLifetime",
    ),
    refreshTokenSeconds:
      options.refreshTokenLifetime === undefined
        ? null
        : parseDuration(options.refreshTokenLifetime, "oidc.refreshTokenLifetime"),
    pkceRequired: pkce === "required",
    allowPkceWithoutClientSecret: options.allowPkceWithoutClientSecret === true,
    issuer,
  };
}
