import { createHash, timingSafeEqual } from "node:crypto";
import { failure, type OAuthResult } from "./oauth-errors.js";
import type { Parameters } from "./oauth-parameters.js";

/** How a client proved itself at the token endpoint (the discovery document's names). */
export type ClientAuthMethod = "client_secret_basic" | "client_secret_post" | "none";

export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  allowPkceWithoutClientSecret: boolean;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const sameSecret = (a: string, b: string): boolean =>
  timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());

// RFC 6749 §2.3.1: the id and secret are form-urlencoded before they are joined and encoded.
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

function basicCredentials(header: string): { id: string; secret: string } | undefined {
  const match = /^Basic +(\S+) *$/i.exec(header);
  if (match === null || !BASE64.test(match[1]!)) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon === -1) return undefined;
  const id = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  return id === undefined || secret === undefined ? undefined : { id, secret };
}

/**
 * Authenticates the client of a token request: HTTP Basic (client_secret_basic) or the body's
 * `client_id` + `client_secret` (client_secret_post), never both (RFC 6749 §2.3); with no secret,
 * a public client only when the application allows PKCE without a client secret.
 */
export function authenticateClient(
  header: string | null,
  params: Parameters,
  client: RegisteredClient,
): OAuthResult<{ method: ClientAuthMethod }> {
  const bodyId = params.get("client_id");
  const bodySecret = params.get("client_secret");
  const known = (id: string, secret: string): boolean =>
    sameSecret(id, client.clientId) && sameSecret(secret, client.clientSecret);

  if (header !== null) {
    const credentials = basicCredentials(header);
    if (credentials === undefined) {
      return failure(
        "invalid_client",
        "The Authorization header is not HTTP Basic with a base64 client_id:client_secret.",
      );
    }
    if (bodySecret !== undefined) {
      return failure(
        "invalid_request",
        "The client authenticated twice (HTTP Basic and client_secret in the body); use one method.",
      );
    }
    if (bodyId !== undefined && bodyId !== credentials.id) {
      return failure(
        "invalid_request",
        "client_id in the body differs from the one in HTTP Basic.",
      );
    }
    if (!known(credentials.id, credentials.secret)) {
      return failure("invalid_client", "Unknown client, or wrong client secret.");
    }
    return { ok: true, method: "client_secret_basic" };
  }
  if (bodySecret !== undefined) {
    if (bodyId === undefined || !known(bodyId, bodySecret)) {
      return failure("invalid_client", "Unknown client, or wrong client secret.");
    }
    return { ok: true, method: "client_secret_post" };
  }
  if (bodyId === undefined || !sameSecret(bodyId, client.clientId)) {
    return failure(
      "invalid_client",
      "No client authentication: send client_id and client_secret with HTTP Basic or in the body.",
    );
  }
  if (!client.allowPkceWithoutClientSecret) {
    return failure(
      "invalid_client",
      "This application needs its client secret (PKCE without a client secret is off).",
    );
  }
  return { ok: true, method: "none" };
}
