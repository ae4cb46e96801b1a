import type { AuthRequest } from "@cloudflare/workers-oauth-provider";
import { base64url, randomToken, sameText, sha256 } from "./keyed-hash.js";
import type { OAuthModeEnv } from "./oauth-env.js";

/**
 * The sign-in at Cloudflare Access between our redirect and its callback. We keep it ourselves
 * rather than with workers-oauth-provider's beginUpstream/finishUpstream, because finishUpstream
 * spends the state as it reads it: a denied sign-in, a missing code or a failed exchange would
 * then leave the user nothing to retry with. Here the record is read at the callback and deleted
 * only once everything has succeeded (see callback.ts).
 */
export interface UpstreamRecord {
  /** The client's authorization request, as the consent step stored it. */
  request: AuthRequest;
  /** Our PKCE verifier towards Access (RFC 7636); only its S256 challenge left this Worker. */
  codeVerifier: string;
  /** OIDC nonce, checked in the id_token. */
  nonce: string;
  /** SHA-256 of the value of the browser's binding cookie. */
  bindingHash: string;
}

/** Ten minutes, the longest an authorization code should live (RFC 6749 §4.1.2). */
export const UPSTREAM_TTL_SECONDS = 600;
const KEY_PREFIX = "access-bridge-upstream:";
const COOKIE_PREFIX = "__Host-access-bridge-upstream-";

export interface StartedUpstream {
  state: string;
  nonce: string;
  codeChallenge: string;
  /** Binds the state to this browser: a callback in another browser is refused. */
  setCookie: string;
}

export async function saveUpstream(
  env: OAuthModeEnv,
  request: AuthRequest,
): Promise<StartedUpstream> {
  const state = randomToken();
  const binding = randomToken();
  const record: UpstreamRecord = {
    request,
    codeVerifier: randomToken(),
    nonce: randomToken(24),
    bindingHash: await sha256(binding),
  };
  // The key is a hash of the state and the record is encrypted with a key derived from it:
  // reading KV alone yields neither a usable state nor the verifier.
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv },
    await recordKey(state),
    new TextEncoder().encode(JSON.stringify(record)),
  );
  await env.OAUTH_KV.put(
    await storageKey(state),
    JSON.stringify({ iv: base64url(iv), data: base64url(new Uint8Array(sealed)) }),
    { expirationTtl: UPSTREAM_TTL_SECONDS },
  );
  return {
    state,
    nonce: record.nonce,
    codeChallenge: await sha256(record.codeVerifier),
    setCookie: `${await cookieName(state)}=${binding}; Path=/; Max-Age=${UPSTREAM_TTL_SECONDS}; HttpOnly; Secure; SameSite=Lax`,
  };
}

export type LoadedUpstream =
  | { ok: true; state: string; record: UpstreamRecord }
  | { ok: false; reason: "no_state" | "unknown_state" | "other_browser" };

/** Reads the sign-in a callback names, without spending it. */
export async function loadUpstream(env: OAuthModeEnv, request: Request): Promise<LoadedUpstream> {
  const states = new URL(request.url).searchParams.getAll("state");
  const state = states.length === 1 ? states[0] : undefined;
  if (!state || state.length > 256) return { ok: false, reason: "no_state" };
  const stored = await env.OAUTH_KV.get(await storageKey(state));
  const record = stored === null ? undefined : await open(state, stored);
  if (record === undefined) return { ok: false, reason: "unknown_state" };
  const binding = readCookie(request.headers.get("Cookie"), await cookieName(state));
  if (binding === undefined || !sameText(await sha256(binding), record.bindingHash)) {
    return { ok: false, reason: "other_browser" };
  }
  return { ok: true, state, record };
}

/** Spends the state: from now on a replayed callback finds nothing. Returns the cookie to clear. */
export async function consumeUpstream(env: OAuthModeEnv, state: string): Promise<string> {
  await env.OAUTH_KV.delete(await storageKey(state));
  return `${await cookieName(state)}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`;
}

async function open(state: string, stored: string): Promise<UpstreamRecord | undefined> {
  try {
    const { iv, data } = JSON.parse(stored) as { iv: string; data: string };
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64url(iv) },
      await recordKey(state),
      fromBase64url(data),
    );
    return JSON.parse(new TextDecoder().decode(plain)) as UpstreamRecord;
  } catch {
    return undefined;
  }
}

async function storageKey(state: string): Promise<string> {
  return `${KEY_PREFIX}${await sha256(`key:${state}`)}`;
}

async function recordKey(state: string): Promise<CryptoKey> {
  const material = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`seal:${state}`));
  return crypto.subtle.importKey("raw", material, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** One cookie per sign-in, so two logins in two tabs do not overwrite each other's binding. */
async function cookieName(state: string): Promise<string> {
  return `${COOKIE_PREFIX}${(await sha256(`cookie:${state}`)).slice(0, 16)}`;
}

function readCookie(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
