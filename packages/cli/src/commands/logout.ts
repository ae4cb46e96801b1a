import { logout, TokenStore, whoami, type LogoutResult } from "@access-bridge/auth-relay";
import { accessAppUrl, AccessTokenStore } from "../auth/access-token-store.js";
import { parseIssuerOption } from "../auth/issuer-option.js";
import { parseRemoteOption } from "../auth/remote-option.js";
import { CliError } from "../cli-error.js";
import { parseCommandArgs } from "./parse-args.js";

export const LOGOUT_HELP = `Usage: access-bridge logout [--remote <url> | --issuer <url> | --access <host>]

Deletes stored tokens. For an OAuth issuer it first asks the server to revoke them (RFC 7009)
where the server supports that; the local file is deleted either way. With no option, logs
out of everything access-bridge whoami lists.

Options:
  --remote <url>      log out of this proxy server in OAuth mode only (its tokens are revoked)
  --issuer <url>      log out of this issuer only
  --access <host>     forget the Cloudflare Access token stored for <host> only (cloudflared
                      keeps its own copy in ~/.cloudflared)`;

export async function logoutCommand(args: string[]): Promise<number> {
  const values = parseCommandArgs(
    args,
    {
      issuer: { type: "string" },
      remote: { type: "string" },
      access: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    LOGOUT_HELP,
  );
  if (values.help) {
    process.stdout.write(`${LOGOUT_HELP}\n`);
    return 0;
  }
  const usage = (message: string) => new CliError("ERR_USAGE", `${message}\n\n${LOGOUT_HELP}`, 2);
  const chosen = (["remote", "issuer", "access"] as const).filter(
    (name) => values[name] !== undefined,
  );
  if (chosen.length > 1) {
    throw usage(
      `Pass one of --${chosen.join(", --")}, not both (or none, to log out of everything).`,
    );
  }
  const accessStore = new AccessTokenStore();

  if (values.access !== undefined) {
    const host = accessAppUrl(values.access)?.host;
    if (host === undefined) {
      throw new CliError(
        "ERR_USAGE",
        `--access "${values.access}" is not a host name; pass e.g. --access proxy.example.workers.dev.\n\n${LOGOUT_HELP}`,
        2,
      );
    }
    const removed = await accessStore.remove(host);
    say(removed ? `✓ Forgot the Access token for ${host}.` : nothingStored(host));
    return 0;
  }

  if (values.remote !== undefined) {
    const remote = parseRemoteOption(values.remote, usage);
    const result = await logout({ remote });
    say(result.removed ? loggedOut(result) : nothingStored(remote));
    return 0;
  }
  if (values.issuer !== undefined) {
    const given = parseIssuerOption(values.issuer, LOGOUT_HELP);
    const result = await logout({ issuer: given });
    say(result.removed ? loggedOut(result) : nothingStored(given));
    return 0;
  }

  // Everything: each usable login is revoked first; unusable files are only deleted, so the
  // warning a read would print is replaced by the line saying the file is gone.
  const store = new TokenStore(undefined, { onUnusable: () => {} });
  const logins = await whoami({ store });
  const { tokens } = accessStore.listSync();
  const unusable = [
    ...store.unusable().map((problem) => ({ problem, from: store })),
    ...accessStore.unusable().map((problem) => ({ problem, from: accessStore })),
  ];
  if (logins.length === 0 && tokens.length === 0 && unusable.length === 0) {
    say("Not logged in to anything; nothing to remove.");
    return 0;
  }
  for (const { issuer, remote } of logins) {
    say(loggedOut(await logout(remote === undefined ? { issuer, store } : { remote, store })));
  }
  for (const { host } of tokens) {
    await accessStore.remove(host);
    say(`✓ Forgot the Access token for ${host}.`);
  }
  for (const { problem, from } of unusable) {
    await from.removeFile(problem.file);
    const why = problem.reason === "insecure" ? "readable by other users" : "not a stored login";
    say(`✓ Deleted ${problem.file} (${why}).`);
  }
  return 0;
}

function loggedOut(result: LogoutResult): string {
  const name = result.remote ?? result.issuer;
  if (result.unusable) {
    return `✓ Deleted the unusable token file of ${name}; nothing in it could be revoked, so its tokens stay valid at the server until they expire.`;
  }
  return result.revoked
    ? `✓ Logged out of ${name}: the server revoked the tokens and the local copy is deleted.`
    : `✓ Logged out of ${name}: the local copy is deleted. The server did not confirm revocation (it may not support RFC 7009, or was unreachable), so the tokens stay valid there until they expire.`;
}

function nothingStored(what: string): string {
  return `Not logged in to ${what}; nothing to remove. access-bridge whoami lists what is stored.`;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}
