// A small relying party for the OIDC tests: builds authorization requests, follows the one
// redirect Access answers with, and calls the token endpoint over real HTTP.
import { createHash, randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { AccessEmulator } from "../src/index.js";

export const REDIRECT_URI = "http://127.0.0.1:9/callback";

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkcePair(): Pkce {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export interface AuthorizationRequest {
  pkce: Pkce;
  state: string;
  nonce: string;
  params: Record<string, string>;
}

/** The parameters of a valid request, with overrides (`undefined` removes one). */
export function authorizationRequest(
  access: AccessEmulator,
  overrides: Record<string, string | undefined> = {},
): AuthorizationRequest {
  const pkce = pkcePair();
  const state = randomBytes(8).toString("hex");
  const nonce = randomBytes(8).toString("hex");
  const params: Record<string, string | undefined> = {
    client_id: access.oidc.clientId,
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    scope: "openid email",
    state,
    nonce,
    code_challenge: pkce.challenge,
    code_challenge_method: "S256",
    ...overrides,
  };
  const defined = Object.fromEntries(
    Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return { pkce, state, nonce, params: defined };
}

export async function authorize(
  access: AccessEmulator,
  params: Record<string, string>,
): Promise<Response> {
  return fetch(`${access.oidc.authorizationEndpoint}?${new URLSearchParams(params)}`, {
    redirect: "manual",
  });
}

/** The query Access redirected back to the client with. */
export function callbackParams(response: Response): URLSearchParams {
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("location")!);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
  return location.searchParams;
}

/** Signs `email` in through `login_hint` and returns the code with what redeems it. */
export async function codeFor(
  access: AccessEmulator,
  email: string,
  overrides: Record<string, string | undefined> = {},
): Promise<AuthorizationRequest & { code: string }> {
  const request = authorizationRequest(access, { login_hint: email, ...overrides });
  const back = callbackParams(await authorize(access, request.params));
  expect(back.get("error")).toBeNull();
  expect(back.get("state")).toBe(request.state);
  return { ...request, code: back.get("code")! };
}

export type ClientAuth = "basic" | "post" | "none";

export async function tokenRequest(
  access: AccessEmulator,
  body: Record<string, string>,
  auth: ClientAuth = "basic",
): Promise<Response> {
  const { clientId, clientSecret } = access.oidc;
  const form = new URLSearchParams(body);
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
  };
  if (auth === "basic") {
    const encoded = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(encoded).toString("base64")}`;
  } else {
    form.set("client_id", clientId);
    if (auth === "post") form.set("client_secret", clientSecret);
  }
  return fetch(access.oidc.tokenEndpoint, { method: "POST", headers, body: form });
}

export interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
  id_token: string;
  refresh_token?: string;
}

export async function exchangeCode(
  access: AccessEmulator,
  flow: { code: string; pkce: Pkce },
  auth: ClientAuth = "basic",
): Promise<TokenBody> {
  const response = await tokenRequest(
    access,
    {
      grant_type: "authorization_code",
      code: flow.code,
      redirect_uri: REDIRECT_URI,
      code_verifier: flow.pkce.verifier,
    },
    auth,
  );
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as TokenBody;
}

export async function expectOAuthError(
  response: Response,
  status: number,
  error: string,
): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await response.json()) as { error: string; error_description: string };
  expect(body).toEqual({ error, error_description: expect.any(String) });
}

export function userinfo(access: AccessEmulator, accessToken: string): Promise<Response> {
  return fetch(access.oidc.userinfoEndpoint, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
}
