// Recognises Cloudflare Access's answer to a blocked request. The proxy client only ever talks
// to the proxy server, so these shapes can only come from Access in front of it, never from the
// remote binding (whose own responses arrive with their original status through the server).
import type { AccessBlock, SentCredential } from "../../access-guidance.js";
import { accessBlockCode, accessBlockGuidance } from "../../access-guidance.js";
import { RemoteBindingsError } from "../../errors.js";
import type { CallPath } from "../../wire-protocol.js";

const ACCESS_LOGIN_HOST_SUFFIX = ".cloudflareaccess.com";

async function isAccessBlock(response: Response): Promise<boolean> {
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get("Location");
    if (location === null) return false;
    try {
      return new URL(location).hostname.endsWith(ACCESS_LOGIN_HOST_SUFFIX);
    } catch {
      return false;
    }
  }
  // Access's block page is an HTML 403 titled "Error ・ Cloudflare Access". The proxy server's
  // own refusals are plain text and may name Cloudflare Access too, so HTML is required. Read a
  // clone, so that a 403 that is not from Access still reaches the caller with its body.
  if (response.status !== 403) return false;
  if (!response.headers.get("Content-Type")?.includes("text/html")) return false;
  const body = await response
    .clone()
    .text()
    .catch(() => "");
  return body.includes("Cloudflare Access");
}

/** The block described by `response`, or undefined when Access did not block it. */
export async function detectAccessBlock(
  response: Response,
  where: { binding: string; host: string; path: CallPath },
  sent: SentCredential,
): Promise<AccessBlock | undefined> {
  if (!(await isAccessBlock(response))) return undefined;
  return {
    ...where,
    status: response.status,
    reason: sent.kind === "none" ? "no_credentials" : "credentials_rejected",
  };
}

export function accessBlockError(block: AccessBlock, sent: SentCredential): RemoteBindingsError {
  return new RemoteBindingsError(accessBlockCode(block.reason), accessBlockGuidance(block, sent));
}

/** The readable stand-in for Access's HTML page on the HTTP path. */
export function accessBlockResponse(block: AccessBlock, sent: SentCredential): Response {
  const error = accessBlockError(block, sent);
  return new Response(error.message + "\n", {
    status: 403,
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "X-Access-Bridge-Error": error.code,
    },
  });
}
