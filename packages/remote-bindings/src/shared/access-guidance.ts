// The words a developer reads when Cloudflare Access blocks a remote binding call. Shared by the
// proxy client (HTTP body, RPC error) and the Node warning, so every path says the same thing.
import type { SentCredential } from "./credentials.js";
import type { AccessBlockReason, CallPath } from "./wire-protocol.js";

export interface AccessBlock {
  binding: string;
  host: string;
  status: number;
  reason: AccessBlockReason;
  path: CallPath;
}

const SERVICE_TOKEN_DOCS =
  "https://developers.cloudflare.com/cloudflare-one/identity/service-tokens/";

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

export function accessBlockGuidance(block: AccessBlock, sent: SentCredential): string {
  const where = `remote binding "${block.binding}" (${block.path}) at ${block.host}`;
  if (block.reason === "no_credentials") {
    return [
      `Cloudflare Access blocked ${where} (${describeStatus(block.status)}): no Access credentials were sent.`,
      `The proxy server is behind Cloudflare Access. Give access-bridge a service token:`,
      `set CLOUDFLARE_ACCESS_CLIENT_ID and CLOUDFLARE_ACCESS_CLIENT_SECRET (the token must be allowed`,
      `by a policy with action "Service Auth"), or set CLOUDFLARE_ACCESS_TOKEN to a user token`,
      `(\`cloudflared access token --app=https://${block.host}\`). See ${SERVICE_TOKEN_DOCS}`,
    ].join("\n");
  }
  const what =
    sent.kind === "service_token"
      ? `the service token (CF-Access-Client-Id ${sent.clientIdHint})`
      : sent.kind === "user_token"
        ? "the user token (cf-access-token)"
        : "the credentials";
  const fix =
    sent.kind === "user_token"
      ? `The token may have expired or belong to another application: fetch a new one with\n` +
        `\`cloudflared access token --app=https://${block.host}\` and update CLOUDFLARE_ACCESS_TOKEN.`
      : `Check that the token is neither expired nor revoked, that the secret belongs to this client id,\n` +
        `and that the application's policy includes it with action "Service Auth". See ${SERVICE_TOKEN_DOCS}`;
  return [
    `Cloudflare Access rejected the credentials for ${where} (${describeStatus(block.status)}):`,
    `${what} was sent but Access did not accept it.`,
    fix,
  ].join("\n");
}
