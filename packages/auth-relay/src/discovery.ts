import { AuthRelayError } from "./errors.js";
import { fetchOAuth, isSecureOrLoopback } from "./oauth-http.js";

/** The RFC 8414 §2 fields the login client uses. */
export interface AuthorizationServerMetadata {
  issuer: string;
  authorization_endpoint?: string;
  token_endpoint: string;
  registration_endpoint?: string;
  revocation_endpoint?: string;
  device_authorization_endpoint?: string;
  code_challenge_methods_supported?: string[];
  authorization_response_iss_parameter_supported?: boolean;
  [field: string]: unknown;
}

const ENDPOINTS = [
  "authorization_endpoint",
  "token_endpoint",
  "registration_endpoint",
  "revocation_endpoint",
  "device_authorization_endpoint",
] as const;

/**
 * RFC 8414 §3.1: the well-known segment goes between the host and the issuer's path, so
 * `https://as.example/tenant` is described at `https://as.example/.well-known/…/tenant`.
 */
export function metadataUrl(issuer: URL, wellKnown: string): string {
  return `${issuer.origin}/.well-known/${wellKnown}${issuerPath(issuer)}`;
}

/**
 * Where the issuer's metadata may be, in the order tried. RFC 8414 §3.1 first; then the OpenID
 * Connect document, at the path-inserted URL RFC 8414 §5 defines for it and at the appended one
 * OpenID Connect Discovery 1.0 §4.1 defines (Cloudflare Access for SaaS, with its app-scoped
 * issuer `…/cdn-cgi/access/sso/oidc/<client id>`, publishes only the appended one).
 */
export function metadataCandidates(issuer: URL): string[] {
  const path = issuerPath(issuer);
  const candidates = [
    metadataUrl(issuer, "oauth-authorization-server"),
    metadataUrl(issuer, "openid-configuration"),
  ];
  if (path !== "") candidates.push(`${issuer.origin}${path}/.well-known/openid-configuration`);
  return candidates;
}

function issuerPath(issuer: URL): string {
  return issuer.pathname === "/" ? "" : issuer.pathname.replace(/\/$/, "");
}

export function parseIssuer(issuer: string): URL {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    url = new URL("invalid:");
  }
  // RFC 8414 §2: an https URL with no query or fragment.
  if (!isSecureOrLoopback(url) || url.search || url.hash || url.username || url.password) {
    throw new AuthRelayError("ERR_INVALID_OPTION", {
      what: `The issuer "${issuer}" is not a usable issuer identifier.`,
      why: "RFC 8414 §2 requires an https URL without query or fragment (http only on loopback).",
      fix: "Pass --issuer with the authorization server's https URL, e.g. https://auth.example.com.",
    });
  }
  return url;
}

/**
 * Fetches and validates the issuer's metadata (RFC 8414 §3). Any answer but a JSON object with
 * HTTP 200 (an HTML 404 page, a login page) moves on to the next candidate; no answer at all is
 * `ERR_NETWORK` at once, since the next URL is on the same host.
 */
export async function discoverAuthorizationServer(
  issuer: string,
  signal?: AbortSignal,
): Promise<AuthorizationServerMetadata> {
  const issuerUrl = parseIssuer(issuer);
  const tried: string[] = [];
  for (const url of metadataCandidates(issuerUrl)) {
    const answer = await fetchOAuth(url, { method: "GET" }, "metadata discovery", signal);
    if (answer.status === 200 && answer.body !== undefined) {
      return validateMetadata(issuer, answer.body);
    }
    const kind = answer.body === undefined ? ` (${answer.contentType || "no content type"})` : "";
    tried.push(`${url} → HTTP ${answer.status}${kind}`);
  }
  throw new AuthRelayError("ERR_DISCOVERY_FAILED", {
    what: `${issuerUrl.origin} published no authorization server metadata for ${issuer}.`,
    why: `Neither RFC 8414 nor OpenID Connect discovery found a JSON document: ${tried.join("; ")}.`,
    fix: "Check the --issuer URL: it must be the server's issuer identifier, not its login page.",
  });
}

function validateMetadata(
  issuer: string,
  body: Record<string, unknown>,
): AuthorizationServerMetadata {
  // RFC 8414 §3.3: the metadata's issuer must be identical to the one we asked about; otherwise
  // an attacker's metadata could redirect token requests (a mix-up, RFC 9207 §1).
  const normalise = (value: string) => value.replace(/\/$/, "");
  if (typeof body.issuer !== "string" || normalise(body.issuer) !== normalise(issuer)) {
    throw new AuthRelayError("ERR_ISSUER_MISMATCH", {
      what: `The metadata for ${issuer} names a different issuer.`,
      why: "RFC 8414 §3.3 requires them to be identical; a mismatch can be a mix-up attack.",
      fix: "Use the exact issuer URL the server publishes in its metadata.",
    });
  }
  if (typeof body.token_endpoint !== "string") {
    throw new AuthRelayError("ERR_UNSUPPORTED_SERVER", {
      what: `The metadata for ${issuer} has no token_endpoint.`,
      why: "Without it no code or device grant can be exchanged for tokens.",
      fix: "Check that the issuer supports the authorization code or device grant.",
    });
  }
  for (const field of ENDPOINTS) {
    const value = body[field];
    if (value === undefined) continue;
    if (typeof value !== "string" || !URL.canParse(value) || !isSecureOrLoopback(new URL(value))) {
      throw new AuthRelayError("ERR_INSECURE_ENDPOINT", {
        what: `The metadata for ${issuer} lists ${field} as a non-https URL.`,
        why: "Codes and tokens must never travel in cleartext beyond this machine.",
        fix: "Ask the server's operator to publish https endpoints.",
      });
    }
  }
  return body as AuthorizationServerMetadata;
}
