// Last line of defence for text that leaves the worker: the credential values themselves must
// never appear in a report, whatever produced the text.
import type { ProxyClientEnv } from "./client-env.js";

export function redact(text: string, env: ProxyClientEnv): string {
  let result = text;
  for (const secret of [env.accessClientSecret, env.accessToken, env.accessClientId]) {
    if (secret) result = result.split(secret).join("[redacted]");
  }
  return result;
}
