import { acceptAuthorizationResponse, buildAuthorizationUrl } from "./authorization-request.js";
import { registerPublicClient } from "./client-registration.js";
import { discoverAuthorizationServer, type AuthorizationServerMetadata } from "./discovery.js";
import { AuthRelayError } from "./errors.js";
import { headlessReasons } from "./headless.js";
import { discoverProtectedResource } from "./remote-discovery.js";
import { openBrowser } from "./open-browser.js";
import { codeChallengeS256, createCodeVerifier, createState } from "./pkce.js";
import { RELAY_SESSION_TTL_SECONDS } from "./relay-protocol.js";
import { exchangeAuthorizationCode, type TokenSet } from "./token-endpoint.js";
import { TokenStore } from "./token-store.js";
import type { CallbackReceiver } from "./transports/callback-receiver.js";
import { DEVICE_CODE_GRANT, runDeviceFlow } from "./transports/device-flow.js";
import { loopbackUnavailable, startLoopbackReceiver } from "./transports/loopback-receiver.js";
import { openRelayReceiver } from "./transports/relay-receiver.js";

export type LoginTransport = "localhost" | "relay" | "device";

/** What the user must do; the CLI prints it (the default prints to stderr). */
export interface LoginPrompt {
  transport: LoginTransport;
  /** Open this in a browser (for the device flow: the verification URI, complete if offered). */
  url: string;
  /** Device flow only: the code to type on the verification page. */
  userCode?: string;
  /** Why the transport was chosen automatically, e.g. "running over SSH". */
  reasons: string[];
}

export interface LoginOptions {
  /** The OAuth authorization server to log in to. Give this or `remote`. */
  issuer?: string;
  /**
   * A proxy server in OAuth mode (`--remote`): its RFC 9728 metadata names the issuer and the
   * resource, and the login is stored for the remote, where `getAccessToken({ remote })` finds it.
   */
  remote?: string;
  /** A pre-registered public client; without it the client registers itself (RFC 7591). */
  clientId?: string;
  scope?: string;
  /** RFC 8707 resource indicator. */
  resource?: string;
  /** `auto` (default): device when asked, the relay when given or headless, else localhost. */
  transport?: "auto" | LoginTransport;
  /** `--relay URL`; also read from `ACCESS_BRIDGE_RELAY_URL`. */
  relayUrl?: string;
  /** `--no-browser` sets this to false. */
  openBrowser?: boolean;
  onPrompt?: (prompt: LoginPrompt) => void;
  /** How long to wait for the user; the relay's session TTL by default (one number for both). */
  timeoutSeconds?: number;
  store?: TokenStore;
  signal?: AbortSignal;
  /** Environment used for headless detection and ACCESS_BRIDGE_RELAY_URL. */
  env?: NodeJS.ProcessEnv;
  /** Device flow: extra origins allowed to host the verification page. */
  allowedVerificationOrigins?: string[];
  /** Device flow: replaces the wait between polls (tests record the RFC 8628 intervals). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface LoginResult {
  issuer: string;
  /** Set when logged in with `remote`. */
  remote?: string;
  transport: LoginTransport;
  scope?: string;
  expiresAt?: number;
  /** The token file written (mode 0600). */
  file: string;
}

/** Logs in to `issuer` and stores the tokens. Never prints or returns a token. */
export async function login(options: LoginOptions): Promise<LoginResult> {
  const env = options.env ?? process.env;
  const timeoutSeconds = options.timeoutSeconds ?? RELAY_SESSION_TTL_SECONDS;
  const timeout = AbortSignal.timeout(timeoutSeconds * 1000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const target = await loginTarget(options, signal);
  const metadata = await discoverAuthorizationServer(target.issuer, signal);
  const { transport, reasons, relayUrl } = chooseTransport(options, env, metadata);
  const resource = target.resource ?? options.resource;
  const prompt = (url: string, userCode?: string) => {
    (options.onPrompt ?? printPrompt)({
      transport,
      url,
      reasons,
      ...(userCode ? { userCode } : {}),
    });
    // With no local display (SSH, containers) an opener would fail or open the wrong machine.
    if (options.openBrowser !== false && headlessReasons(env).length === 0) void openBrowser(url);
  };

  let tokens: TokenSet;
  let clientId: string;
  try {
    if (transport === "device") {
      clientId =
        options.clientId ??
        (await registerPublicClient(metadata, [], [DEVICE_CODE_GRANT, "refresh_token"], signal));
      tokens = await runDeviceFlow({
        metadata,
        clientId,
        ...(options.scope ? { scope: options.scope } : {}),
        onPrompt: (device) =>
          prompt(device.verificationUriComplete ?? device.verificationUri, device.userCode),
        ...(options.allowedVerificationOrigins
          ? { allowedVerificationOrigins: options.allowedVerificationOrigins }
          : {}),
        ...(options.sleep ? { sleep: options.sleep } : {}),
        signal,
      });
    } else {
      ({ tokens, clientId } = await browserLogin(
        { ...options, ...(resource ? { resource } : {}) },
        metadata,
        transport,
        relayUrl,
        signal,
        prompt,
      ));
    }
  } catch (error) {
    throw timeout.aborted ? timedOut(timeoutSeconds, error) : aborted(error, options.signal);
  }

  const store = options.store ?? new TokenStore();
  const file = await store.write({
    ...tokens,
    issuer: metadata.issuer,
    ...(target.remote ? { remote: target.remote } : {}),
    clientId,
    tokenEndpoint: metadata.token_endpoint,
    ...(metadata.revocation_endpoint ? { revocationEndpoint: metadata.revocation_endpoint } : {}),
    obtainedAt: Date.now(),
  });
  return {
    issuer: metadata.issuer,
    ...(target.remote ? { remote: target.remote } : {}),
    transport,
    file,
    ...(tokens.scope ? { scope: tokens.scope } : {}),
    ...(tokens.expiresAt ? { expiresAt: tokens.expiresAt } : {}),
  };
}

async function browserLogin(
  options: LoginOptions,
  metadata: AuthorizationServerMetadata,
  transport: "localhost" | "relay",
  relayUrl: string | undefined,
  signal: AbortSignal,
  prompt: (url: string) => void,
): Promise<{ tokens: TokenSet; clientId: string }> {
  const state = createState();
  const codeVerifier = createCodeVerifier();
  const receiver: CallbackReceiver =
    transport === "relay"
      ? await openRelayReceiver(relayUrl as string, state)
      : await startLoopbackReceiver(state).catch((cause: unknown) => {
          throw loopbackUnavailable(cause);
        });
  try {
    const clientId =
      options.clientId ??
      (await registerPublicClient(
        metadata,
        [receiver.redirectUri],
        ["authorization_code", "refresh_token"],
        signal,
      ));
    prompt(
      buildAuthorizationUrl({
        metadata,
        clientId,
        redirectUri: receiver.redirectUri,
        state,
        codeChallenge: codeChallengeS256(codeVerifier),
        ...(options.scope ? { scope: options.scope } : {}),
        ...(options.resource ? { resource: options.resource } : {}),
      }),
    );
    const response = await receiver.waitForResponse(signal);
    const code = acceptAuthorizationResponse(response, state, metadata);
    const tokens = await exchangeAuthorizationCode(
      metadata,
      { clientId, code, redirectUri: receiver.redirectUri, codeVerifier },
      signal,
    );
    return { tokens, clientId };
  } finally {
    await receiver.close();
  }
}

export function chooseTransport(
  options: Pick<LoginOptions, "transport" | "relayUrl">,
  env: NodeJS.ProcessEnv,
  metadata: Pick<AuthorizationServerMetadata, "device_authorization_endpoint">,
): { transport: LoginTransport; reasons: string[]; relayUrl?: string } {
  const relayUrl = options.relayUrl ?? env.ACCESS_BRIDGE_RELAY_URL;
  const requested = options.transport ?? "auto";
  if (requested === "relay" && !relayUrl) {
    throw new AuthRelayError("ERR_INVALID_OPTION", {
      what: "The relay transport was chosen but no relay URL is set.",
      why: "The relay is a Worker you deploy; access-bridge does not run a shared one.",
      fix: "Pass --relay https://<your relay> or set ACCESS_BRIDGE_RELAY_URL.",
    });
  }
  if (requested !== "auto")
    return { transport: requested, reasons: [], ...(relayUrl ? { relayUrl } : {}) };
  if (options.relayUrl)
    return { transport: "relay", reasons: ["--relay given"], relayUrl: options.relayUrl };
  const reasons = headlessReasons(env);
  if (reasons.length === 0) return { transport: "localhost", reasons };
  if (relayUrl) return { transport: "relay", reasons, relayUrl };
  if (metadata.device_authorization_endpoint) return { transport: "device", reasons };
  return { transport: "localhost", reasons };
}

function printPrompt(prompt: LoginPrompt): void {
  const why = prompt.reasons.length > 0 ? ` (${prompt.reasons.join(", ")})` : "";
  process.stderr.write(`Logging in with the ${prompt.transport} transport${why}.\n`);
  process.stderr.write(`Open this URL in a browser:\n\n  ${prompt.url}\n\n`);
  if (prompt.userCode) process.stderr.write(`and enter the code: ${prompt.userCode}\n\n`);
}

function timedOut(seconds: number, cause: unknown): AuthRelayError {
  return new AuthRelayError(
    "ERR_LOGIN_TIMEOUT",
    {
      what: `The login did not finish within ${seconds} seconds.`,
      why: "No authorization response arrived in time (the relay forgets a session after the same time).",
      fix: "Run the login again and complete it in the browser.",
    },
    { cause },
  );
}

function aborted(error: unknown, signal: AbortSignal | undefined): unknown {
  if (error instanceof AuthRelayError || !signal?.aborted) return error;
  return new AuthRelayError(
    "ERR_LOGIN_ABORTED",
    {
      what: "The login was cancelled.",
      why: "The caller aborted it.",
      fix: "Run the login again.",
    },
    { cause: error },
  );
}

/** What `issuer` or `remote` names: for a remote, its issuer and resource come from RFC 9728. */
async function loginTarget(
  options: Pick<LoginOptions, "issuer" | "remote">,
  signal: AbortSignal,
): Promise<{ issuer: string; remote?: string; resource?: string }> {
  if ((options.issuer === undefined) === (options.remote === undefined)) {
    throw new AuthRelayError("ERR_INVALID_OPTION", {
      what: "A login needs exactly one of issuer and remote.",
      why: "issuer names an OAuth server; remote names a proxy server in OAuth mode, which names its own.",
      fix: "Pass --issuer <url> or --remote <proxy url>.",
    });
  }
  if (options.issuer !== undefined) return { issuer: options.issuer };
  const found = await discoverProtectedResource(options.remote as string, signal);
  return { issuer: found.issuer, remote: found.remote, resource: found.resource };
}
