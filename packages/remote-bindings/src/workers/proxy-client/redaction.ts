// Last line of defence for text that leaves the Worker (reports, errors, log lines): no secret
// survives it. This module owns the set of secrets: the secret text bindings, and every bearer
// token this isolate was given (registered by bearer-token.ts as it gets them).
import { CREDENTIAL_BINDINGS, TOKEN_BROKER_BINDINGS } from "../../shared/wire-protocol.js";
import type { ProxyClientEnv } from "./client-env.js";

const SECRET_BINDINGS = [...Object.values(CREDENTIAL_BINDINGS), TOKEN_BROKER_BINDINGS.KEY] as const;

/** Bearer tokens seen by this isolate; a handful a day. */
const tokens = new Set<string>();

export function rememberSecret(value: string): void {
  if (value) tokens.add(value);
}

export function redact(text: string, env: ProxyClientEnv): string {
  let result = text;
  for (const secret of [...SECRET_BINDINGS.map((name) => env[name]), ...tokens]) {
    if (secret) result = result.split(secret).join("[redacted]");
  }
  return result;
}
