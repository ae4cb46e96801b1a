import { whoami } from "@access-bridge/auth-relay";
import { AccessTokenStore, describeSkipped } from "../auth/access-token-store.js";
import { describeExpiry } from "@access-bridge/dev-session";
import { parseCommandArgs } from "./parse-args.js";

export const WHOAMI_HELP = `Usage: access-bridge whoami [--json]

Lists what you are logged in to: each proxy server in OAuth mode (from access-bridge login
--remote), each OAuth issuer (from --issuer) and each Cloudflare Access host (from --access),
with when its token expires and where it is stored. Never prints a token. Exits 1 when you are logged in to nothing.

Options:
  --json      print the same as JSON, for scripts`;

export async function whoamiCommand(args: string[]): Promise<number> {
  const values = parseCommandArgs(
    args,
    { json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    WHOAMI_HELP,
  );
  if (values.help) {
    process.stdout.write(`${WHOAMI_HELP}\n`);
    return 0;
  }
  const logins = await whoami();
  const remotes = logins.filter((entry) => entry.remote !== undefined);
  const issuers = logins.filter((entry) => entry.remote === undefined);
  const store = new AccessTokenStore();
  const { tokens, skipped } = store.listSync();
  const hosts = tokens.map(({ host, expiresAt }) => ({
    host,
    ...(expiresAt === undefined ? {} : { expiresAt }),
    expired: expiresAt !== undefined && expiresAt <= Date.now(),
    file: store.fileFor(host),
  }));
  for (const { file, reason } of skipped) {
    process.stderr.write(`▲ ${describeSkipped({ file, reason })}\n`);
  }

  if (values.json) {
    process.stdout.write(`${JSON.stringify({ remotes, issuers, access: hosts }, null, 2)}\n`);
    return logins.length + hosts.length > 0 ? 0 : 1;
  }
  if (logins.length + hosts.length === 0) {
    process.stderr.write(
      "✘ Not logged in to anything. Run access-bridge login --issuer <url>, or access-bridge login --access <host> for a Cloudflare Access application.\n",
    );
    return 1;
  }
  const lines: string[] = [];
  for (const entry of [...remotes, ...issuers]) {
    const renewal = entry.refreshable
      ? "renewed automatically with the refresh token"
      : "no refresh token, so log in again when it expires";
    lines.push(
      entry.remote === undefined ? entry.issuer : `${entry.remote} (proxy server in OAuth mode)`,
      `  client id: ${entry.clientId}${entry.scope ? `   scope: ${entry.scope}` : ""}`,
      `  access token ${describeExpiry(entry.expiresAt)}; ${renewal}`,
      `  stored in ${entry.file}`,
    );
  }
  for (const entry of hosts) {
    lines.push(
      `${entry.host} (Cloudflare Access, through cloudflared)`,
      `  token ${describeExpiry(entry.expiresAt)}${entry.expired ? `; run access-bridge login --access ${entry.host}` : ""}`,
      `  stored in ${entry.file}`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}
