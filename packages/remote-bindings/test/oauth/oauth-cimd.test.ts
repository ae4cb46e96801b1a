// A client identified by a Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-document)
// signs in to the OAuth mode with no registration: its client_id is the https URL of its
// metadata, which the Worker fetches (answered by the test's outbound service, in workerd).
import { expect, test } from "vitest";
import { ScriptedBrowser, location, signIn } from "@access-bridge/test-support/oauth-browser";
import {
  REDIRECT_URI,
  authorizationRequest,
  bindingFetch,
  exchangeCode,
  greetOverRpc,
  tokenRequest,
} from "@access-bridge/test-support/oauth-client";
import { setUp } from "@access-bridge/test-support/oauth-setup";

const CLIENT_ID = "https://client.example/oauth/client.json";

function metadataDocument(extra: Record<string, unknown> = {}): object {
  return {
    client_id: CLIENT_ID,
    client_name: "Metadata Client",
    redirect_uris: [REDIRECT_URI],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
    ...extra,
  };
}

test("a CIMD client signs in with its document URL as client_id, no registration and no secret, and reaches the binding", async () => {
  const { proxy } = await setUp({ clientMetadata: { [CLIENT_ID]: metadataDocument() } });
  const request = authorizationRequest(proxy.origin, CLIENT_ID);
  const { consent, callback } = await signIn(new ScriptedBrowser(), request.url);
  const page = await consent.text();
  expect(page).toContain("Allow Metadata Client to use the bindings");
  expect(page).toContain("Published by <strong>client.example</strong>.");

  const back = location(callback);
  expect(back.origin + back.pathname).toBe(REDIRECT_URI);
  expect(back.searchParams.get("state")).toBe(request.state);
  expect(back.searchParams.get("iss")).toBe(proxy.origin);
  const code = back.searchParams.get("code");
  if (!code) throw new Error("no code");
  const tokens = await exchangeCode(proxy.origin, CLIENT_ID, code, request.verifier);
  expect(tokens).toMatchObject({ token_type: "bearer", expires_in: 3600 });

  expect((await bindingFetch(proxy.origin, tokens.access_token)).status).toBe(200);
  expect(await greetOverRpc(proxy.origin, tokens.access_token)).toBe("hello ada");

  const refreshed = await tokenRequest(proxy.origin, {
    grant_type: "refresh_token",
    refresh_token: tokens.refresh_token,
    client_id: CLIENT_ID,
  });
  expect(refreshed.status).toBe(200);

  // Nothing was registered: the document is the client.
  const clients = await (
    await proxy.mf.getKVNamespace("OAUTH_KV", "proxy")
  ).list({ prefix: "client:" });
  expect(clients.keys).toEqual([]);
});

test("a redirect URI the document does not list is refused on the page, never redirected to", async () => {
  const { proxy } = await setUp({ clientMetadata: { [CLIENT_ID]: metadataDocument() } });
  const elsewhere = "http://127.0.0.1:9999/elsewhere";
  const request = authorizationRequest(proxy.origin, CLIENT_ID, elsewhere);
  const response = await new ScriptedBrowser().get(request.url);
  expect(response.status).toBe(400);
  expect(response.headers.get("location")).toBeNull();
  expect(await response.text()).toContain("Invalid redirect URI");
});

test("a document that carries a client secret is refused at authorize and at the token endpoint", async () => {
  const secret = "cimd-secret-0123456789";
  const { proxy } = await setUp({
    clientMetadata: { [CLIENT_ID]: metadataDocument({ client_secret: secret }) },
  });
  const request = authorizationRequest(proxy.origin, CLIENT_ID);
  const response = await new ScriptedBrowser().get(request.url);
  expect(response.status).toBe(400);
  expect(await response.text()).toContain("metadata document could not be fetched or is invalid.");

  const token = await tokenRequest(proxy.origin, {
    grant_type: "authorization_code",
    code: "any",
    code_verifier: request.verifier,
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
  });
  expect(token).toMatchObject({ status: 401, body: { error: "invalid_client" } });

  // The document was fetched and refused for its secret (the provider's own warning says why),
  // and the secret itself is not repeated.
  const logs = proxy.logs.join("\n");
  expect(logs).toContain("CIMD documents must not contain client secrets");
  expect(logs).not.toContain(secret);
});

test("a document over the provider's 5 KiB limit is refused without a 500", async () => {
  const { proxy } = await setUp({
    clientMetadata: { [CLIENT_ID]: metadataDocument({ client_uri_note: "x".repeat(5 * 1024) }) },
  });
  const response = await new ScriptedBrowser().get(
    authorizationRequest(proxy.origin, CLIENT_ID).url,
  );
  expect(response.status).toBe(400);
  expect(proxy.logs.join("\n")).toMatch(/size limit/);
});
