// Recognises Cloudflare Access's answer to a blocked request: a redirect to the team's login
// page, or the HTML 403 block page titled "Error ・ Cloudflare Access". The one classifier for
// the proxy client (in workerd) and `doctor` (in Node); it reads only standard Response members.
import { WIRE } from "./wire-protocol.js";

const ACCESS_LOGIN_HOST_SUFFIX = ".cloudflareaccess.com";

/** The part of a fetch Response the classifier reads, in workerd and in Node alike. */
export interface AnswerToClassify {
  status: number;
  headers: { get(name: string): string | null };
  clone(): { text(): Promise<string> };
}

/**
 * A binding's own answer, which the proxy server marked as forwarded (wrangler's does the same):
 * never a refusal by Access or by the proxy server, whatever it looks like.
 */
export function isForwardedAnswer(response: Pick<AnswerToClassify, "headers">): boolean {
  return response.headers.get(WIRE.FORWARDED_RESPONSE) !== null;
}

export async function isAccessBlock(response: AnswerToClassify): Promise<boolean> {
  if (isForwardedAnswer(response)) return false;
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get("Location");
    if (location === null || !URL.canParse(location)) return false;
    const url = new URL(location);
    return (
      url.hostname.endsWith(ACCESS_LOGIN_HOST_SUFFIX) &&
      url.pathname.startsWith("/cdn-cgi/access/login")
    );
  }
  // The proxy server's own refusals are plain text and may name Cloudflare Access too, so HTML
  // is required. Read a clone, so that a 403 that is not from Access keeps its body.
  if (response.status !== 403) return false;
  if (!response.headers.get("Content-Type")?.includes("text/html")) return false;
  const body = await response
    .clone()
    .text()
    .catch(() => "");
  return /<title>[^<]*Cloudflare Access[^<]*<\/title>/i.test(body);
}
