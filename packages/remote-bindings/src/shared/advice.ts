// Every piece of advice access-bridge gives about credentials: an Access block, a sign-in the
// proxy server in OAuth mode wants, a half-set service token, and doctor's fixes. One module, so
// that the proxy client (in workerd) and the Node side (the Miniflare API, dev-session, doctor)
// say the same thing. It sits in remote-bindings' shared/ rather than in @access-bridge/conventions
// because it speaks in this package's terms (the Access headers, the call path, what was sent),
// and shared/ is the one folder both sides may import: it type-checks against workers-types and
// @types/node alike, and the proxy client's bundle takes it in. Node code elsewhere reaches it
// through the package's root export.
//
// Each function takes where the credential came from, so that the advice names the command and
// the variables that fix it. Names only: no value of a credential ever enters a text made here.
import { loginRemote, type BearerPlace } from "./bearer-refusal.js";
import type { SentCredential } from "./credentials.js";
import type { AccessBlockReason, CallPath } from "./wire-protocol.js";

/**
 * Where the Access credential came from, or, when none was found, where it was looked for:
 * - `environment`: CLOUDFLARE_ACCESS_* variables (the only place the Miniflare API and a plain
 *   `wrangler dev` of generated configs look);
 * - `login --access`: the token `access-bridge login --access <host>` stored;
 * - `embedded`: the service token minted for the embedded remote;
 * - `option`: the Miniflare API's `remoteBindings({ credentials })`;
 * - `none`: nothing in the environment nor in the `login --access` store (the tools built on
 *   @access-bridge/dev-session: dev, run, doctor, the Vite plugin).
 */
export const ACCESS_CREDENTIAL_SOURCES = [
  "environment",
  "login --access",
  "embedded",
  "option",
  "none",
] as const;
export type AccessCredentialSource = (typeof ACCESS_CREDENTIAL_SOURCES)[number];

/** The source named by a text binding, or undefined (generic advice) for anything else. */
export function accessCredentialSource(
  value: string | undefined,
): AccessCredentialSource | undefined {
  return ACCESS_CREDENTIAL_SOURCES.find((source) => source === value);
}

/** Where a proxy server in OAuth mode gets its bearer token from. */
export type BearerSource =
  /** The sign-in `access-bridge login --remote` stored, served by a token broker. */
  | "login --remote"
  /** The Miniflare API's `remoteBindings({ bearer })`. */
  | "option";

const SERVICE_TOKEN_DOCS =
  "https://developers.cloudflare.com/cloudflare-one/identity/service-tokens/";

const SERVICE_TOKEN_VARS = "CLOUDFLARE_ACCESS_CLIENT_ID and CLOUDFLARE_ACCESS_CLIENT_SECRET";
const USER_TOKEN_VAR = "CLOUDFLARE_ACCESS_TOKEN";
const READS_STORED_TOKEN = "access-bridge dev, run, doctor and @access-bridge/vite";

/** The command that stores an Access user token for `host`. */
export const loginAccessCommand = (host: string) => `\`access-bridge login --access ${host}\``;

/** The command that signs in to a proxy server in OAuth mode. */
export const loginRemoteCommand = (remoteUrl: string | URL) =>
  `\`access-bridge login --remote ${loginRemote(remoteUrl)}\``;

/** A user token for `host` printed by cloudflared, for a place that cannot read the store. */
const cloudflaredToken = (host: string) => `\`cloudflared access token --app=https://${host}\``;

/** What to do when nothing was sent. */
function noCredentialFix(host: string, source: AccessCredentialSource | undefined): string {
  const serviceToken = `Set ${SERVICE_TOKEN_VARS} to a service token that a policy with action "Service Auth" allows`;
  switch (source) {
    case "option":
      return (
        `remoteBindings({ credentials }) gave none for ${host}: pass a service token ` +
        `{ clientId, clientSecret } or a user token { token }, or leave the option out to read ` +
        `${SERVICE_TOKEN_VARS} (or ${USER_TOKEN_VAR}).`
      );
    case "environment":
      return (
        `${serviceToken}, or set ${USER_TOKEN_VAR} to a user token (${cloudflaredToken(host)} ` +
        `prints one). ${READS_STORED_TOKEN} also send the token ${loginAccessCommand(host)} stores.`
      );
    default:
      return (
        `${serviceToken}, or sign in with ${loginAccessCommand(host)} ` +
        `(or set ${USER_TOKEN_VAR} to a user token).`
      );
  }
}

/** What to do when Access did not accept what was sent. */
function rejectedFix(
  host: string,
  sent: Exclude<SentCredential, { kind: "none" }>,
  source: AccessCredentialSource | undefined,
): string {
  if (source === "embedded") {
    return (
      "The embedded remote refused the service token minted for it: stop the dev command and " +
      "start it again, so that the remote and its token start afresh."
    );
  }
  if (sent.kind === "user_token") {
    switch (source) {
      case "login --access":
        return (
          `The token ${loginAccessCommand(host)} stored may have expired, been revoked, or belong ` +
          `to another application: run ${loginAccessCommand(host)} again.`
        );
      case "option":
        return (
          `The user token passed as remoteBindings({ credentials: { token } }) may have expired or ` +
          `belong to another application: pass a fresh one (${cloudflaredToken(host)} prints one).`
        );
      default:
        return (
          `The user token in ${USER_TOKEN_VAR} may have expired or belong to another application: ` +
          `put a fresh one there (${cloudflaredToken(host)} prints one), or unset it and sign in ` +
          `with ${loginAccessCommand(host)}, whose token ${READS_STORED_TOKEN} send.`
        );
    }
  }
  const which =
    source === "option"
      ? "the service token passed as remoteBindings({ credentials })"
      : `the service token in ${SERVICE_TOKEN_VARS}`;
  return (
    `Check that ${which} is neither expired nor revoked, that the secret belongs to this client ` +
    `id, and that the application's policy includes it with action "Service Auth" ` +
    `(Zero Trust → Access → Applications → Policies). See ${SERVICE_TOKEN_DOCS}`
  );
}

/** The fix for an Access refusal, for what was sent and where it came from. */
function accessFix(
  host: string,
  sent: SentCredential,
  source: AccessCredentialSource | undefined,
): string {
  return sent.kind === "none" ? noCredentialFix(host, source) : rejectedFix(host, sent, source);
}

export interface AccessBlock {
  binding: string;
  host: string;
  status: number;
  reason: AccessBlockReason;
  path: CallPath;
}

export function accessBlockCode(reason: AccessBlockReason) {
  return reason === "no_credentials"
    ? ("ERR_ACCESS_NO_CREDENTIALS" as const)
    : ("ERR_ACCESS_CREDENTIALS_REJECTED" as const);
}

function describeStatus(status: number): string {
  return status >= 300 && status < 400
    ? `HTTP ${status}, a redirect to the Access login page`
    : `HTTP ${status}, the Access block page`;
}

function describeSent(sent: SentCredential): string {
  switch (sent.kind) {
    case "service_token":
      return `the service token (CF-Access-Client-Id ${sent.clientIdHint})`;
    case "user_token":
      return "the user token (cf-access-token)";
    case "none":
      return "no credentials";
  }
}

/** What a developer reads when Cloudflare Access blocks a remote binding call. */
export function accessBlockAdvice(
  block: AccessBlock,
  sent: SentCredential,
  source?: AccessCredentialSource,
): string {
  const where = `remote binding "${block.binding}" (${block.path}) at ${block.host}`;
  const status = describeStatus(block.status);
  if (sent.kind === "none") {
    return [
      `Cloudflare Access blocked ${where} (${status}): no Access credentials were sent.`,
      `The proxy server is behind Cloudflare Access. ${noCredentialFix(block.host, source)}`,
      `See ${SERVICE_TOKEN_DOCS}`,
    ].join("\n");
  }
  return [
    `Cloudflare Access rejected the credentials for ${where} (${status}):`,
    `${describeSent(sent)} was sent but Access did not accept it.`,
    rejectedFix(block.host, sent, source),
  ].join("\n");
}

/** The half-set service token: one wording for the warning, the CLI and the dev session. */
export function halfSetTokenAdvice(half: { set: string; missing: string }): string {
  const { set, missing } = half;
  return (
    `${set} is set but ${missing} is not, so no service token can be sent: ` +
    `a service token needs both. Set ${missing} too (Cloudflare shows the pair when the token is created, under ` +
    `Zero Trust → Access → Service Auth), or unset ${set}.`
  );
}

const where = (place: BearerPlace) =>
  `remote binding "${place.binding}" (${place.path}) at ${new URL(place.remoteUrl).host}`;

const signInAgain = (place: BearerPlace, source: BearerSource | undefined) =>
  source === "option"
    ? `Sign in again with ${loginRemoteCommand(place.remoteUrl)}, or check the token source passed as remoteBindings({ bearer }).`
    : `Sign in again with ${loginRemoteCommand(place.remoteUrl)}.`;

/**
 * What the proxy server in OAuth mode wants, and what to do about it:
 * - `required`: no token was sent (nobody gave the proxy client a token source);
 * - `rejected`: a token was sent and refused, also after asking the token source again; or, for
 *   a request that may not be repeated (`notRetried`: its method), refused once;
 * - `unavailable`: the token source gave none; `reason` is its own, already redacted, message.
 */
export type SignInProblem =
  | { kind: "required" }
  | { kind: "rejected"; error: string; notRetried?: string }
  | { kind: "unavailable"; reason: string };

export function signInAdvice(
  place: BearerPlace,
  problem: SignInProblem,
  source?: BearerSource,
): string {
  const command = loginRemoteCommand(place.remoteUrl);
  switch (problem.kind) {
    case "required":
      return [
        `The proxy server refused ${where(place)} (HTTP 401): it is in OAuth mode and no access token was sent.`,
        `Sign in with ${command}; access-bridge dev, run, doctor and @access-bridge/vite then send`,
        `the token and renew it. With the Node API, also pass remoteBindings({ bearer }), e.g.`,
        `accessTokenSource({ remote }) of @access-bridge/auth-relay. A plain \`wrangler dev\` of the`,
        `generated configs cannot send it: run access-bridge dev instead.`,
      ].join("\n");
    case "rejected": {
      const how =
        problem.notRetried === undefined
          ? "also after asking for a fresh token"
          : `and a ${problem.notRetried} request is not sent again, since it may not be safe to repeat (the next call asks for a fresh token)`;
      return [
        `The proxy server refused the access token for ${where(place)} (HTTP 401${problem.error ? `, ${problem.error}` : ""}), ${how}.`,
        `The sign-in may have been revoked, have run out (it lasts 24 h), or the token may belong to`,
        `another proxy server. ${signInAgain(place, source)}`,
      ].join("\n");
    }
    case "unavailable": {
      const text = where(place);
      return (
        `${text[0]!.toUpperCase()}${text.slice(1)} needs an access token for the proxy server ` +
        `(OAuth mode), and none could be obtained: ${problem.reason}` +
        (problem.reason.includes("login --remote") ? "" : `\n${signInAgain(place, source)}`)
      );
    }
  }
}

/** The one line of advice under each failed doctor check about credentials. */
export type DoctorProblem =
  /** Access blocked a probe: nothing was sent, or what was sent was refused. */
  | { kind: "access"; sent: SentCredential; source: AccessCredentialSource | undefined }
  /** OAuth mode: no stored sign-in, the sign-in gave no token, or its token was refused. */
  | { kind: "sign-in"; state: "none" | "no-token" | "refused" };

export function doctorAdvice(target: URL, problem: DoctorProblem): string {
  if (problem.kind === "access") {
    return accessFix(target.host, problem.sent, problem.source).replace(/\n/g, " ");
  }
  const command = loginRemoteCommand(target);
  switch (problem.state) {
    case "none":
      return `Run ${command}; access-bridge dev, run, doctor and @access-bridge/vite then send your sign-in's token.`;
    case "no-token":
      return `Run ${command}.`;
    case "refused":
      return `Run ${command} again.`;
  }
}
