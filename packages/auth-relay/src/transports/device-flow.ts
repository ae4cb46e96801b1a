import { setTimeout as delay } from "node:timers/promises";
import type { AuthorizationServerMetadata } from "../discovery.js";
import { AuthRelayError } from "../errors.js";
import { isSecureOrLoopback, refusal, requestJson } from "../oauth-http.js";
import { parseTokenResponse, type TokenSet } from "../token-endpoint.js";

export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
/** RFC 8628 §3.2: "If no value is provided, clients MUST use 5 as the default." */
const DEFAULT_INTERVAL_SECONDS = 5;
/** RFC 8628 §3.5: on `slow_down` the interval "MUST be increased by 5 seconds" for this and all later requests. */
const SLOW_DOWN_STEP_SECONDS = 5;

export interface DevicePrompt {
  verificationUri: string;
  verificationUriComplete?: string;
  userCode: string;
  expiresInSeconds: number;
}

export interface DeviceFlowOptions {
  metadata: AuthorizationServerMetadata;
  clientId: string;
  scope?: string;
  onPrompt(prompt: DevicePrompt): void;
  /** Origins besides the issuer's own that may host the verification page. */
  allowedVerificationOrigins?: string[];
  /** Waits between polls; replaceable so tests can record intervals instead of sleeping. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  signal: AbortSignal;
}

/** RFC 8628: device authorization request, user prompt, then polling the token endpoint. */
export async function runDeviceFlow(options: DeviceFlowOptions): Promise<TokenSet> {
  const { metadata, signal } = options;
  const endpoint = metadata.device_authorization_endpoint;
  if (!endpoint) {
    throw new AuthRelayError("ERR_UNSUPPORTED_SERVER", {
      what: `${metadata.issuer} publishes no device_authorization_endpoint.`,
      why: "The device flow (RFC 8628) needs it; this server does not support --device.",
      fix: "Log in with the localhost callback or the relay (--relay URL) instead.",
    });
  }
  const form: Record<string, string> = { client_id: options.clientId };
  if (options.scope) form.scope = options.scope;
  const started = await requestJson(
    endpoint,
    { method: "POST", form },
    "device authorization",
    signal,
  );
  if (started.status !== 200) {
    throw refusal(
      started,
      "ERR_AUTHORIZATION_FAILED",
      "the device authorization request",
      "Try the localhost or relay login.",
    );
  }
  const body = started.body;
  if (
    typeof body.device_code !== "string" ||
    typeof body.user_code !== "string" ||
    typeof body.verification_uri !== "string" ||
    typeof body.expires_in !== "number"
  ) {
    throw new AuthRelayError("ERR_INVALID_RESPONSE", {
      what: "The device authorization response lacks device_code, user_code, verification_uri or expires_in.",
      why: "RFC 8628 §3.2 requires all four.",
      fix: "The server does not follow RFC 8628; use another transport.",
    });
  }
  const prompt: DevicePrompt = {
    verificationUri: checkVerificationUri(body.verification_uri, options),
    userCode: body.user_code,
    expiresInSeconds: body.expires_in,
  };
  if (typeof body.verification_uri_complete === "string") {
    prompt.verificationUriComplete = checkVerificationUri(body.verification_uri_complete, options);
  }
  options.onPrompt(prompt);

  const sleep = options.sleep ?? ((ms, abort) => delay(ms, undefined, { signal: abort }));
  const deadline = Date.now() + body.expires_in * 1000;
  let interval =
    typeof body.interval === "number" && body.interval > 0
      ? body.interval
      : DEFAULT_INTERVAL_SECONDS;
  const poll = {
    grant_type: DEVICE_CODE_GRANT,
    device_code: body.device_code,
    client_id: options.clientId,
  };
  for (;;) {
    await sleep(interval * 1000, signal);
    if (Date.now() > deadline) throw expired();
    const result = await requestJson(
      metadata.token_endpoint,
      { method: "POST", form: poll },
      "device polling",
      signal,
    );
    if (result.status === 200) return parseTokenResponse(result, undefined);
    const error = result.body.error;
    if (error === "authorization_pending") continue;
    if (error === "slow_down") {
      interval += SLOW_DOWN_STEP_SECONDS;
      continue;
    }
    if (error === "expired_token") throw expired();
    throw refusal(
      result,
      error === "access_denied" ? "ERR_ACCESS_DENIED" : "ERR_TOKEN_REQUEST_FAILED",
      "the device authorization",
      error === "access_denied"
        ? "Run the login again and approve it on the verification page."
        : "Run the login again.",
    );
  }
}

function expired(): AuthRelayError {
  return new AuthRelayError(
    "ERR_DEVICE_CODE_EXPIRED",
    {
      what: "The device code expired before the login was approved.",
      why: "RFC 8628 §3.5: the user did not finish on the verification page in time.",
      fix: "Run the login again and enter the new code sooner.",
    },
    { oauthError: "expired_token" },
  );
}

/**
 * The verification URI is where the user types a code that grants this CLI their account; a
 * tampered device response could point at a look-alike page. It must be https and served by the
 * issuer's own origin (or one the caller vouches for).
 */
function checkVerificationUri(value: string, options: DeviceFlowOptions): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  const trusted = new Set([
    new URL(options.metadata.issuer).origin,
    ...(options.metadata.authorization_endpoint
      ? [new URL(options.metadata.authorization_endpoint).origin]
      : []),
    ...(options.allowedVerificationOrigins ?? []).map((origin) => new URL(origin).origin),
  ]);
  if (!url || !isSecureOrLoopback(url) || !trusted.has(url.origin)) {
    throw new AuthRelayError("ERR_INSECURE_ENDPOINT", {
      what: `The device flow asked the user to visit ${url ? url.origin : "an invalid URL"}.`,
      why: `It is not https on the issuer's origin (${[...trusted].join(", ")}); it could be a phishing page.`,
      fix: "If that origin really belongs to the server, pass it in allowedVerificationOrigins.",
    });
  }
  return url.href;
}
