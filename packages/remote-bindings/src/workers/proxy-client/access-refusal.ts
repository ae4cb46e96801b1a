// Turns Cloudflare Access's answer to a blocked call into what the developer sees: a report
// (the warning), and the error the call gets (as an error on RPC and connect(), as plain text on
// HTTP).
import { isAccessBlock } from "../../shared/access-block.js";
import { accessBlockAdvice, accessBlockCode, type AccessBlock } from "../../shared/advice.js";
import { sentCredential } from "../../shared/credentials.js";
import { RemoteBindingsError } from "../../shared/errors.js";
import type { CallPath } from "../../shared/wire-protocol.js";
import { clientCredentials, credentialSource, type ProxyClientEnv } from "./client-env.js";
import { report } from "./reports.js";

/** The error for a blocked call, reported; undefined when Access did not block it. */
export async function accessRefusal(
  response: Response,
  where: { binding: string; host: string; path: CallPath },
  env: ProxyClientEnv,
): Promise<RemoteBindingsError | undefined> {
  if (!(await isAccessBlock(response))) return undefined;
  await response.body?.cancel();
  const sent = sentCredential(clientCredentials(env));
  const block: AccessBlock = {
    binding: where.binding,
    host: where.host,
    path: where.path,
    status: response.status,
    reason: sent.kind === "none" ? "no_credentials" : "credentials_rejected",
  };
  const message = accessBlockAdvice(block, sent, credentialSource(env));
  await report(env, { type: "access-blocked", ...block, message });
  return new RemoteBindingsError(accessBlockCode(block.reason), message, { reported: true });
}
