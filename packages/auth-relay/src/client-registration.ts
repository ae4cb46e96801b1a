import type { AuthorizationServerMetadata } from "./discovery.js";
import { AuthRelayError } from "./errors.js";
import { refusal, requestJson } from "./oauth-http.js";

/**
 * RFC 7591 dynamic registration of a public native client (`token_endpoint_auth_method: none`,
 * RFC 8252 §8.4), used when the caller has no pre-registered client_id.
 */
export async function registerPublicClient(
  metadata: AuthorizationServerMetadata,
  redirectUris: string[],
  grantTypes: string[],
  signal?: AbortSignal,
): Promise<string> {
  if (!metadata.registration_endpoint) {
    throw new AuthRelayError("ERR_REGISTRATION_FAILED", {
      what: `${metadata.issuer} has no registration_endpoint, and no client id was given.`,
      why: "A client id comes from pre-registration or RFC 7591 dynamic registration.",
      fix: "Register access-bridge as a public client with the server and pass its clientId.",
    });
  }
  const result = await requestJson(
    metadata.registration_endpoint,
    {
      json: {
        client_name: "access-bridge",
        redirect_uris: redirectUris,
        grant_types: grantTypes,
        response_types: redirectUris.length > 0 ? ["code"] : [],
        token_endpoint_auth_method: "none",
      },
    },
    "client registration",
    signal,
  );
  if (result.status !== 201 && result.status !== 200) {
    throw refusal(
      result,
      "ERR_REGISTRATION_FAILED",
      "client registration",
      "Pass a pre-registered clientId instead.",
    );
  }
  if (typeof result.body.client_id !== "string") {
    throw new AuthRelayError("ERR_REGISTRATION_FAILED", {
      what: `${metadata.issuer} answered the registration without a client_id.`,
      why: "RFC 7591 §3.2.1 requires one in a successful response.",
      fix: "Pass a pre-registered clientId instead.",
    });
  }
  return result.body.client_id;
}
