import { logout, whoami } from "@access-bridge/auth-relay";
import { accessAppUrl, AccessTokenStore } from "../auth/access-token-store.js";
import { parseIssuerOption } from "../auth/issuer-option.js";
import { CliError } from "../cli-error.js";
import { parseCommandArgs } from "./parse-args.js";

export const LOGOUT_HELP = `Usage: access-bridge logout [--issuer <url> | --access <host>]

Deletes stored tokens. For an OAuth issuer it first asks the server to revoke them (RFC 7009)
where the server supports that; the local file is deleted either way. With no option, logs
out of everything access-bridge whoami lists.

Options:
  --issuer <url>      log out of this issuer only
  --access <host>     forget the Cloudflare Access token stored for <host> only (cloudflared
                      keeps its own copy in ~/.cloudflared)`;

export async function logoutCommand(args: string[]): Promise<number> {
  const values = parseCommandArgs(
    args,
    {
      issuer: { type: "string" },
      access: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    LOGOUT_HELP,
  );
  if (values.help) {
    process.stdout.write(`${LOGOUT_HELP}\n`);
    return 0;
  }
  if (values.issuer !== undefined && values.access !== undefined) {
    throw new CliError(
      "ERR_USAGE",
      `Pass --issuer or --access, not both (or neither, to log out of everything).\n\n${LOGOUT_HELP}`,
      2,
    );
  }
  const store = new AccessTokenStore();

  if (values.access !== undefined) {
    const host = accessAppUrl(values.access)?.host;
    if (host === undefined) {
      throw new CliError(
        "ERR_USAGE",
        `--access "${values.access}" is not a host name; pass e.g. --access proxy.example.workers.dev.\n\n${LOGOUT_HELP}`,
        2,
      );
    }
    const removed = await store.remove(host);
    say(removed ? `✓ Forgot the Access token for ${host}.` : nothingStored(host));
    return 0;
  }

  let issuers: string[];
  if (values.issuer !== undefined) {
    const given = parseIssuerOption(values.issuer, LOGOUT_HELP);
    // Stored under the issuer the server's metadata names, which may differ by a trailing slash.
    const bare = (issuer: string) => issuer.replace(/\/$/, "");
    const stored = (await whoami()).find((entry) => bare(entry.issuer) === bare(given));
    if (stored === undefined) {
      say(nothingStored(given));
      return 0;
    }
    issuers = [stored.issuer];
  } else {
    issuers = (await whoami()).map((entry) => entry.issuer);
    const { tokens } = store.listSync();
    for (const { host } of tokens) {
      await store.remove(host);
      say(`✓ Forgot the Access token for ${host}.`);
    }
    if (issuers.length === 0 && tokens.length === 0) {
      say("Not logged in to anything; nothing to remove.");
      return 0;
    }
  }

  for (const issuer of issuers) {
    const result = await logout({ issuer });
    say(
      result.revoked
        ? `✓ Logged out of ${issuer}: the server revoked the tokens and the local copy is deleted.`
        : `✓ Logged out of ${issuer}: the local copy is deleted. The server did not confirm revocation (it may not support RFC 7009, or was unreachable), so the tokens stay valid there until they expire.`,
    );
  }
  return 0;
}

function nothingStored(what: string): string {
  return `Not logged in to ${what}; nothing to remove. access-bridge whoami lists what is stored.`;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}
