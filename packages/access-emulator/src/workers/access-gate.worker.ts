// The edge of the emulated Access application: every request to the application enters here.
// Policy and state live in Node (the authority); this worker shapes what goes on the wire.
import {
  AUTHORITY_ORIGIN,
  AUTHORITY_PATHS,
  OIDC_PATH_PREFIX,
  type OidcRequest,
  type AuthorizeRequest,
  type AuthorizeResponse,
  type GateConfig,
  type SignInResponse,
} from "../authority-protocol.js";
import { blockPage, signInPage } from "../access-pages.js";
import { readPresentedCredential, SESSION_COOKIE, sessionCookie } from "./presented-credential.js";

interface Env {
  AUTHORITY: Fetcher;
  /** Present when the origin is a Worker in the same Miniflare. */
  ORIGIN?: Fetcher;
  CONFIG: GateConfig;
}

// Headers that carry credentials to Access; the origin only ever sees the assertion.
const CREDENTIAL_HEADERS = ["cf-access-client-id", "cf-access-client-secret", "cf-access-token"];
const ACCESS_PREFIX = "/cdn-cgi/access/";
const LOGIN_PREFIX = `${ACCESS_PREFIX}login/`;

async function askAuthority<T>(env: Env, path: string, body?: unknown): Promise<T> {
  const response = await env.AUTHORITY.fetch(`${AUTHORITY_ORIGIN}${path}`, {
    method: body === undefined ? "GET" : "POST",
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) {
    throw new Error(
      `The emulator's authority answered ${response.status}: ${await response.text()}`,
    );
  }
  return (await response.json()) as T;
}

function blocked(reason: string): Response {
  return new Response(blockPage(reason), {
    status: 403,
    headers: { "content-type": "text/html; charset=utf-8", "access-emulator-reason": reason },
  });
}

// Keeps the login redirect's Location readable: HTTP clients refuse response headers past about
// 16 KiB (undici's default), and the requested path travels back in it.
const MAX_RETURN_PATH = 4096;

/** Where to come back after sign-in: the path and query, or less when they would not fit. */
function returnPath(url: URL): string {
  const full = url.pathname + url.search;
  if (full.length <= MAX_RETURN_PATH) return full;
  return url.pathname.length <= MAX_RETURN_PATH ? url.pathname : "/";
}

function loginRedirect(url: URL, config: GateConfig, reason: string): Response {
  const login = new URL(`${config.teamDomain}${LOGIN_PREFIX}${url.host}`);
  login.searchParams.set("kid", config.aud);
  login.searchParams.set("redirect_url", returnPath(url));
  return new Response(null, {
    status: 302,
    headers: { location: login.href, "access-emulator-reason": reason },
  });
}

/** Only a path on this application (the sign-in page must not be an open redirect), and short. */
function safeRedirectPath(value: string | null): string {
  if (
    value === null ||
    !value.startsWith("/") ||
    value.startsWith("//") ||
    value.startsWith("/\\") ||
    value.length > MAX_RETURN_PATH
  ) {
    return "/";
  }
  return value;
}

/** GET and HEAD carry no body on to workerd's fetch(), even if a client sent one. */
async function bodyOf(request: Request): Promise<ArrayBuffer | null> {
  if (request.body === null || request.method === "GET" || request.method === "HEAD") return null;
  return request.arrayBuffer();
}

/** OIDC requests go to the authority: it owns the codes, tokens and their answers. */
async function oidcEndpoint(request: Request, url: URL, env: Env): Promise<Response> {
  const body = await bodyOf(request);
  const oidcRequest: OidcRequest = {
    method: request.method,
    path: url.pathname.slice(OIDC_PATH_PREFIX.length),
    query: url.search.slice(1),
    authorization: request.headers.get("authorization"),
    contentType: request.headers.get("content-type"),
    body: body === null ? "" : new TextDecoder().decode(body),
  };
  const response = await env.AUTHORITY.fetch(`${AUTHORITY_ORIGIN}${AUTHORITY_PATHS.oidc}`, {
    method: "POST",
    body: JSON.stringify(oidcRequest),
    redirect: "manual",
  });
  return new Response(response.body, response);
}

async function forwardToOrigin(
  request: Request,
  url: URL,
  env: Env,
  verdict: AuthorizeResponse & { allow: true },
): Promise<Response> {
  const headers = new Headers(request.headers);
  for (const name of CREDENTIAL_HEADERS) headers.delete(name);
  headers.set("cf-access-jwt-assertion", verdict.assertion);
  if (verdict.email !== undefined) headers.set("cf-access-authenticated-user-email", verdict.email);
  // Miniflare's entry worker already drops a client's copy of this header; only the gate sets it,
  // and only for a Worker origin.
  headers.delete(env.CONFIG.accessBlobHeader);
  if (env.CONFIG.originUrl === null) {
    // workerd builds the origin's ctx.access from this: `aud` from app_aud, and getIdentity()
    // returns jwt_claims as is (Miniflare's access identity worker hands them back unchanged).
    headers.set(
      env.CONFIG.accessBlobHeader,
      JSON.stringify({ app_aud: env.CONFIG.aud, jwt_claims: verdict.identity }),
    );
  }

  const target =
    env.CONFIG.originUrl === null ? url : new URL(url.pathname + url.search, env.CONFIG.originUrl);
  const forwarded = new Request(target, {
    method: request.method,
    headers,
    // Read whole before forwarding: a body the origin left unread made workerd drop the client's
    // keep-alive connection now and then (ECONNRESET on its next request), and neither passing
    // the stream through nor teeing and draining it avoided that. Uploads through the emulator
    // are buffered in memory; it is a test bed, not a proxy for large transfers.
    body: await bodyOf(request),
    redirect: "manual",
  });
  const response = await (env.ORIGIN ? env.ORIGIN.fetch(forwarded) : fetch(forwarded));
  // A 101 carries its socket, not headers of ours; plain answers get the session cookie.
  if (verdict.sessionCookie === undefined || response.webSocket !== null) return response;
  const withCookie = new Response(response.body, response);
  withCookie.headers.append(
    "set-cookie",
    sessionCookie(
      verdict.sessionCookie.value,
      verdict.sessionCookie.maxAgeSeconds,
      url.protocol === "https:",
    ),
  );
  return withCookie;
}

function decodedHost(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

function badRequest(reason: string): Response {
  return new Response(reason, {
    status: 400,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

async function signIn(request: Request, url: URL, env: Env): Promise<Response> {
  const host = decodedHost(url.pathname.slice(LOGIN_PREFIX.length));
  if (request.method === "GET") {
    const html = signInPage({
      heading: `Sign in to ${host}`,
      method: "post",
      emailField: "email",
      hidden: { redirect_url: safeRedirectPath(url.searchParams.get("redirect_url")) },
      allowedEmails: env.CONFIG.allowedEmails,
    });
    return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
  }
  if (request.method !== "POST") {
    return new Response("Use GET for the sign-in page and POST to sign in.", { status: 405 });
  }
  const contentType = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (contentType !== "application/x-www-form-urlencoded") {
    return badRequest(
      "Sign in with a form: POST application/x-www-form-urlencoded with an email field.",
    );
  }
  const form = new URLSearchParams(await request.text());
  const email = String(form.get("email") ?? "").trim();
  if (email === "") return blocked("email_not_allowed");
  const result = await askAuthority<SignInResponse>(env, AUTHORITY_PATHS.signIn, { email, host });
  if (!result.ok) return blocked(result.reason);
  return new Response(null, {
    status: 302,
    headers: {
      location: safeRedirectPath(String(form.get("redirect_url") ?? "/")),
      "set-cookie": sessionCookie(result.token, result.maxAgeSeconds, url.protocol === "https:"),
    },
  });
}

async function accessEndpoint(request: Request, url: URL, env: Env): Promise<Response> {
  if (url.pathname.startsWith(LOGIN_PREFIX)) return signIn(request, url, env);
  if (url.pathname.startsWith(OIDC_PATH_PREFIX)) return oidcEndpoint(request, url, env);
  switch (url.pathname) {
    case `${ACCESS_PREFIX}certs`:
      return Response.json(await askAuthority(env, AUTHORITY_PATHS.certs));
    case `${ACCESS_PREFIX}get-identity`: {
      const response = await env.AUTHORITY.fetch(`${AUTHORITY_ORIGIN}${AUTHORITY_PATHS.identity}`, {
        method: "POST",
        body: JSON.stringify(readPresentedCredential(request)),
      });
      return new Response(response.body, response);
    }
    case `${ACCESS_PREFIX}logout`:
      return new Response("Signed out of the emulated Access application.", {
        headers: { "set-cookie": `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax` },
      });
    default:
      return new Response(`The Access emulator has no endpoint ${url.pathname}.`, { status: 404 });
  }
}

export default {
  async fetch(request, env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname.startsWith(ACCESS_PREFIX)) return accessEndpoint(request, url, env);

    const authorize: AuthorizeRequest = {
      credential: readPresentedCredential(request),
      request: {
        method: request.method,
        host: url.host,
        path: url.pathname,
        websocket: request.headers.get("upgrade")?.toLowerCase() === "websocket",
      },
    };
    const verdict = await askAuthority<AuthorizeResponse>(
      env,
      AUTHORITY_PATHS.authorize,
      authorize,
    );
    if (!verdict.allow) {
      return verdict.status === 302
        ? loginRedirect(url, env.CONFIG, verdict.reason)
        : blocked(verdict.reason);
    }
    return forwardToOrigin(request, url, env, verdict);
  },
} satisfies ExportedHandler<Env>;
