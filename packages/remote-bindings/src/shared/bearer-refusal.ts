// A proxy server in OAuth mode asking for its bearer token (RFC 6750 §3): 401 with a Bearer
// challenge whose `resource_metadata` (RFC 9728 §5.1) is on the proxy server's own origin. A
// remote binding's own 401 passes through the proxy untouched and names its own origin, if any,
// so an API behind a service binding that speaks Bearer itself is not mistaken for the proxy.
// The one classifier for the proxy client (in workerd) and `doctor` (in Node); the words the
// developer reads are in advice.ts.
import { remoteId } from "@access-bridge/conventions";
import { isForwardedAnswer, type AnswerToClassify } from "./access-block.js";
import type { CallPath } from "./wire-protocol.js";

/** The challenge's parameters, lower-cased names (RFC 9110 §11.2 auth-params). */
function bearerChallenge(header: string | null): Map<string, string> | undefined {
  const match = /^\s*Bearer(?:\s+(.*))?$/is.exec(header ?? "");
  if (match === null) return undefined;
  const params = new Map<string, string>();
  for (const [, name, quoted, token] of (match[1] ?? "").matchAll(
    /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g,
  )) {
    params.set(name!.toLowerCase(), quoted?.replace(/\\(.)/g, "$1") ?? token ?? "");
  }
  return params;
}

/**
 * An `error` code of RFC 6750 §3.1 is a short token (`invalid_token`); anything else in the header
 * is not repeated, since the text goes into errors the user's Worker sees, and an endpoint that
 * echoes request headers could otherwise hand the token back.
 */
const ERROR_CODE = /^[a-z_]{1,40}$/;

/** The proxy server's `error` code (`invalid_token`), or "" when it asked for a token only. */
export function bearerRefusal(
  answer: Pick<AnswerToClassify, "status" | "headers">,
  proxyOrigin: string,
): { error: string } | undefined {
  if (answer.status !== 401 || isForwardedAnswer(answer)) return undefined;
  const params = bearerChallenge(answer.headers.get("WWW-Authenticate"));
  const metadata = params?.get("resource_metadata");
  if (metadata === undefined || !URL.canParse(metadata)) return undefined;
  if (new URL(metadata).origin !== new URL(proxyOrigin).origin) return undefined;
  const error = params!.get("error") ?? "";
  return { error: ERROR_CODE.test(error) ? error : "" };
}

/** The remote as `access-bridge login --remote` stores it: no trailing slash. */
export function loginRemote(remoteUrl: string | URL): string {
  return remoteId(remoteUrl);
}

export interface BearerPlace {
  binding: string;
  path: CallPath;
  /** The proxy server's URL. */
  remoteUrl: string;
}
