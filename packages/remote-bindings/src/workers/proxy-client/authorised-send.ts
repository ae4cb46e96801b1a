// The one authorised send of the proxy client, for the HTTP path (make-fetch.ts) and the upgrade
// of RPC and connect() (open-upgrade.ts): the Access credentials, and for a proxy server in OAuth
// mode the bearer token, renewed and tried once more after a 401 from the OAuth layer. What
// comes back is the answer, or a refusal (by the OAuth layer or by Access) already reported.
import { isForwardedAnswer } from "../../shared/access-block.js";
import { signInAdvice } from "../../shared/advice.js";
import { bearerRefusal, type BearerPlace } from "../../shared/bearer-refusal.js";
import { accessRequestHeaders } from "../../shared/credentials.js";
import { RemoteBindingsError } from "../../shared/errors.js";
import { WIRE } from "../../shared/wire-protocol.js";
import { accessRefusal } from "./access-refusal.js";
import { bearerLease, type BearerLease } from "./bearer-token.js";
import { bearerSource, clientCredentials, type ProxyClientEnv } from "./client-env.js";
import { report } from "./reports.js";

/** Sends the request with these credential headers added (Access's, `Authorization`). */
export type SendWith = (credentialHeaders: Record<string, string>) => Promise<Response>;

export type Authorised =
  | { response: Response; lease?: BearerLease }
  /** `status`: what the HTTP path answers in its place (401 from the OAuth layer, 403 Access). */
  | { refused: RemoteBindingsError; status: 401 | 403 };

export interface SendOptions {
  /**
   * The request's method when it may not be sent twice (RFC 9110 §9.2.2: anything but GET and
   * HEAD; a body cannot be replayed anyway). Undefined: it may be repeated.
   */
  notRepeatable?: string;
}

/**
 * A binding's own answer, which the proxy server marked as forwarded: never a refusal, whatever
 * it looks like. Without the mark it goes to the binding's caller as the binding sent it.
 */
function ownAnswer(response: Response): Response | undefined {
  if (!isForwardedAnswer(response)) return undefined;
  const unmarked = new Response(response.body, response);
  unmarked.headers.delete(WIRE.FORWARDED_RESPONSE);
  return unmarked;
}

function credentialHeaders(
  env: ProxyClientEnv,
  lease: BearerLease | undefined,
): Record<string, string> {
  const headers = accessRequestHeaders(clientCredentials(env));
  return lease === undefined ? headers : { ...headers, Authorization: `Bearer ${lease.token}` };
}

export async function authorisedSend(
  env: ProxyClientEnv,
  place: BearerPlace,
  send: SendWith,
  options: SendOptions = {},
): Promise<Authorised> {
  const host = new URL(place.remoteUrl).host;
  let lease = await bearerLease(env, place);
  let response = await send(credentialHeaders(env, lease));
  let own = ownAnswer(response);
  let refusal = own ? undefined : bearerRefusal(response, place.remoteUrl);

  if (refusal !== undefined && lease !== undefined) {
    await response.body?.cancel();
    // Asked even when the request cannot be repeated, so that the next call has a fresh token.
    const next = (await bearerLease(env, place, lease))!;
    if (options.notRepeatable === undefined && next.token !== lease.token) {
      lease = next;
      response = await send(credentialHeaders(env, lease));
      own = ownAnswer(response);
      refusal = own ? undefined : bearerRefusal(response, place.remoteUrl);
    }
  }
  if (own !== undefined) return lease === undefined ? { response: own } : { response: own, lease };
  if (refusal !== undefined) {
    await response.body?.cancel();
    const [code, message] =
      lease === undefined
        ? (["ERR_SIGN_IN_REQUIRED", signInAdvice(place, { kind: "required" })] as const)
        : ([
            "ERR_TOKEN_REJECTED",
            signInAdvice(
              place,
              { kind: "rejected", error: refusal.error, notRetried: options.notRepeatable },
              bearerSource(env),
            ),
          ] as const);
    await report(env, { type: "sign-in", binding: place.binding, host, path: place.path, message });
    return { refused: new RemoteBindingsError(code, message, { reported: true }), status: 401 };
  }

  const blocked = await accessRefusal(response, { ...place, host }, env);
  if (blocked !== undefined) return { refused: blocked, status: 403 };
  return lease === undefined ? { response } : { response, lease };
}
