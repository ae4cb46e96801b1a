// Turns Cloudflare Access's answer to a blocked call into what the developer sees: a report
// (the warning), and the error (RPC, connect) or plain-text response (HTTP) the call gets.
import { isAccessBlock } from "../../shared/access-block.js";
import type { AccessBlock } from "../../shared/access-guidance.js";
import { accessBlockCode, accessBlockGuidance } from "../../shared/access-guidance.js";
import { sentCredential } from "../../shared/credentials.js";
import { RemoteBindingsError } from "../../shared/errors.js";
import type { CallPath } from "../../shared/wire-protocol.js";
import type { ProxyClientEnv } from "./client-env.js";
import { clientCredentials, report } from "./client-env.js";

/** The error for a blocked call, reported once; undefined when Access did not block it. */
export async function accessRefusal(
  response: Response,
  where: { binding: string; host: string; path: CallPath },
  env: ProxyClientEnv,
): Promise<RemoteBindingsError | undefined> {
  if (!(await isAccessBlock(response))) return undefined;
  await response.body?.cancel();
  const sent = sentCredential(clientCredentials(env));
  const block: AccessBlock = {
    ...where,
    status: response.status,
    reason: sent.kind === "none" ? "no_credentials" : "credentials_rejected",
  };
  const message = accessBlockGuidance(block, sent);
  await report(env, { type: "access-blocked", ...block, message });
  return new RemoteBindingsError(accessBlockCode(block.reason), message);
}

/** The readable stand-in for Access's HTML page (or the OAuth layer's 401) on the HTTP path. */
export function refusalResponse(error: RemoteBindingsError, status = 403): Response {
  return new Response(error.message + "\n", {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "X-Access-Bridge-Error": error.code },
  });
}
