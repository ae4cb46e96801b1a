// Every place a caller can put an id or a token into the OAuth-mode proxy server, as a request
// with a value of any length: what the long-input fuzz and its regression tests send (issue 18).
import { REDIRECT_URI, upgrade } from "@access-bridge/test-support/oauth-client";

export interface Answer {
  status: number;
  body: string;
}

export interface LongInputTarget {
  /** Names the endpoint and the field, for failure messages. */
  name: string;
  send(origin: string, value: string): Promise<Answer>;
}

/** A value of `length` characters: plain, or shaped like an issued token with a long first part. */
export function longValue(length: number, shape: "plain" | "token" | "multibyte"): string {
  if (shape === "multibyte") return "é".repeat(length);
  if (shape === "plain") return "a".repeat(length);
  return `${"u".repeat(Math.max(1, length - 50))}:${"g".repeat(16)}:${"s".repeat(32)}`;
}

async function answer(response: Promise<Response>): Promise<Answer> {
  const received = await response;
  return { status: received.status, body: await received.text() };
}

const form = (origin: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
  answer(
    fetch(`${origin}/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(body).toString(),
    }),
  );

/** Header values are bytes: whatever is not visible ASCII becomes "a". */
const headerSafe = (value: string) => value.replace(/[^\x21-\x7e]/g, "a");

const b64url = (value: string) => Buffer.from(value).toString("base64url");

function authorizeUrl(origin: string, clientId: string, changes: Record<string, string>): string {
  const url = new URL(`${origin}/oauth/authorize`);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", clientId);
  url.searchParams.set("redirect_uri", REDIRECT_URI);
  url.searchParams.set("state", "state-1");
  url.searchParams.set("code_challenge", "x".repeat(43));
  url.searchParams.set("code_challenge_method", "S256");
  for (const [name, value] of Object.entries(changes)) url.searchParams.set(name, value);
  return url.href;
}

/** `clientId` is a registered client, so a long value meets the check after the client's. */
export function longInputTargets(clientId: string): LongInputTarget[] {
  const token = (name: string, body: (value: string) => Record<string, string>) => ({
    name: `POST /oauth/token ${name}`,
    send: (origin: string, value: string) => form(origin, body(value)),
  });
  return [
    token("code", (code) => ({ grant_type: "authorization_code", code, client_id: clientId })),
    token("refresh_token", (refresh) => ({
      grant_type: "refresh_token",
      refresh_token: refresh,
      client_id: clientId,
    })),
    token("token (RFC 7009)", (value) => ({ token: value, client_id: clientId })),
    token("client_id (code)", (id) => ({
      grant_type: "authorization_code",
      code: "c",
      client_id: id,
    })),
    token("client_id (refresh)", (id) => ({
      grant_type: "refresh_token",
      refresh_token: "r",
      client_id: id,
    })),
    token("client_id (revocation)", (id) => ({ token: "t", client_id: id })),
    token("code_verifier", (verifier) => ({
      grant_type: "authorization_code",
      code: `${"u".repeat(43)}:${"g".repeat(16)}:${"s".repeat(32)}`,
      code_verifier: verifier,
      client_id: clientId,
    })),
    token("redirect_uri", (uri) => ({
      grant_type: "authorization_code",
      code: "c",
      redirect_uri: uri,
      client_id: clientId,
    })),
    token("resource", (resource) => ({
      grant_type: "refresh_token",
      refresh_token: "r",
      resource,
      client_id: clientId,
    })),
    token("client_assertion iss", (iss) => ({
      grant_type: "refresh_token",
      refresh_token: "r",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: `${b64url('{"alg":"RS256"}')}.${b64url(JSON.stringify({ iss, sub: iss }))}.c2ln`,
    })),
    {
      name: "POST /oauth/token Basic client id",
      send: (origin, value) =>
        form(
          origin,
          { grant_type: "refresh_token", refresh_token: "r" },
          {
            Authorization: `Basic ${Buffer.from(`${encodeURIComponent(value)}:x`).toString("base64")}`,
          },
        ),
    },
    ...["client_id", "redirect_uri", "state", "code_challenge", "resource", "scope"].map(
      (name): LongInputTarget => ({
        name: `GET /oauth/authorize ${name}`,
        send: (origin, value) =>
          answer(fetch(authorizeUrl(origin, clientId, { [name]: value }), { redirect: "manual" })),
      }),
    ),
    {
      name: "POST /oauth/authorize handle",
      send: (origin, value) =>
        answer(
          fetch(`${origin}/oauth/authorize`, {
            method: "POST",
            redirect: "manual",
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ handle: value, decision: "approve" }).toString(),
          }),
        ),
    },
    ...["state", "code", "error"].map((name): LongInputTarget => ({
      name: `GET /oauth/callback ${name}`,
      send: (origin, value) =>
        answer(
          fetch(`${origin}/oauth/callback?${new URLSearchParams({ state: "s", [name]: value })}`, {
            redirect: "manual",
          }),
        ),
    })),
    ...["client_name", "redirect_uris", "client_uri", "token_endpoint_auth_method"].map(
      (name): LongInputTarget => ({
        name: `POST /oauth/register ${name}`,
        send: (origin, value) =>
          answer(
            fetch(`${origin}/oauth/register`, {
              method: "POST",
              headers: { "Content-Type": "application/json" },
              body: JSON.stringify({
                client_name: "long",
                redirect_uris: [REDIRECT_URI],
                token_endpoint_auth_method: "none",
                [name]: name === "redirect_uris" ? [`http://127.0.0.1/${value}`] : value,
              }),
            }),
          ),
      }),
    ),
    {
      name: "binding path Authorization: Bearer",
      send: (origin, value) =>
        answer(
          fetch(origin, {
            headers: { Authorization: `Bearer ${headerSafe(value)}`, "MF-Binding": "API" },
          }),
        ),
    },
    {
      name: "binding path RPC upgrade Authorization: Bearer",
      send: (origin, value) =>
        upgrade(origin, "/?MF-Binding=API", { Authorization: `Bearer ${headerSafe(value)}` }),
    },
    {
      name: "GET /.well-known/oauth-authorization-server query",
      send: (origin, value) =>
        answer(
          fetch(`${origin}/.well-known/oauth-authorization-server?x=${encodeURIComponent(value)}`),
        ),
    },
  ];
}
