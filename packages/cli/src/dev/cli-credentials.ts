import {
  resolveAccessCredentials,
  type AccessCredentialsByHost,
} from "@access-bridge/remote-bindings";
import { CliError } from "../cli-error.js";

/**
 * The credentials `dev` and `doctor` send to a remote you point them at. Half a service token
 * is a mistake worth stopping for: running on without it would only fail later, with a 403.
 */
export function resolveCliCredentials(
  env: Record<string, string | undefined>,
): AccessCredentialsByHost {
  const id = Boolean(env.CLOUDFLARE_ACCESS_CLIENT_ID);
  const secret = Boolean(env.CLOUDFLARE_ACCESS_CLIENT_SECRET);
  if (id !== secret) {
    const [set, missing] = id
      ? ["CLOUDFLARE_ACCESS_CLIENT_ID", "CLOUDFLARE_ACCESS_CLIENT_SECRET"]
      : ["CLOUDFLARE_ACCESS_CLIENT_SECRET", "CLOUDFLARE_ACCESS_CLIENT_ID"];
    throw new CliError(
      "ERR_CREDENTIALS",
      `${set} is set but ${missing} is not. A service token needs both: set ${missing} too (Zero Trust → Access → Service Auth), or unset ${set}.`,
    );
  }
  return resolveAccessCredentials(env);
}
