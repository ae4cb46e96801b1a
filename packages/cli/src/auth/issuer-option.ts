import { CliError } from "../cli-error.js";

const LOOPBACK = /^(localhost|\[::1\]|127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/**
 * `--issuer` checked where it enters, by the rule auth-relay applies (RFC 8414 §2: https, no
 * query or fragment; http only on loopback), so a typo is a usage error, not a network failure.
 */
export function parseIssuerOption(value: string, help: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const usage = (why: string) =>
    new CliError(
      "ERR_USAGE",
      `--issuer "${value}" ${why}. Pass the authorization server's issuer URL, e.g. --issuer https://auth.example.com.\n\n${help}`,
      2,
    );
  if (url === undefined) throw usage("is not a URL");
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw usage(`uses ${url.protocol.replace(/:$/, "")}, but an issuer is an https URL`);
  }
  if (url.protocol === "http:" && !LOOPBACK.test(url.hostname)) {
    throw usage(
      "is plain http on a host other than this machine, and tokens must not travel unencrypted (RFC 8414 §2 requires https)",
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    throw usage(
      "has a query, fragment or user name, which an issuer identifier may not (RFC 8414 §2)",
    );
  }
  return value;
}
