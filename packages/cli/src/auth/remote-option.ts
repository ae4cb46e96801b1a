import { AuthRelayError, parseRemote } from "@access-bridge/auth-relay";
import type { CliError } from "../cli-error.js";

/** `--remote` checked where it enters, by auth-relay's own rule, so a typo is a usage error. */
export function parseRemoteOption(value: string, usage: (message: string) => CliError): string {
  try {
    parseRemote(value);
    return value;
  } catch (error) {
    if (error instanceof AuthRelayError) throw usage(error.detail);
    throw error;
  }
}
