import {
  AuthRelayError,
  login,
  loginWithCloudflared,
  parseRelayUrl,
  RELAY_SESSION_TTL_SECONDS,
  type LoginPrompt,
} from "@access-bridge/auth-relay";
import { accessAppUrl, AccessTokenStore } from "../auth/access-token-store.js";
import { describeExpiry } from "@access-bridge/dev-session";
import { parseIssuerOption } from "../auth/issuer-option.js";
import { parseRemoteOption } from "../auth/remote-option.js";
import { CliError } from "../cli-error.js";
import { parseCommandArgs } from "./parse-args.js";

export const LOGIN_HELP = `Usage: access-bridge login --remote <proxy url> [options]
       access-bridge login --issuer <url> [options]
       access-bridge login --access <host>

Signs you in and stores the tokens for later commands, readable only by you. No token is
ever printed.

  --remote <url>      sign in as yourself to a proxy server in OAuth mode (it names its
                      authorization server, RFC 9728); the login is stored for that
                      remote and its token refreshed when it expires
  --issuer <url>      log in to this OAuth authorization server (authorization code + PKCE);
                      tokens are refreshed automatically when they expire
  --access <host>     get a Cloudflare Access user token for <host> (e.g.
                      proxy.example.workers.dev) through \`cloudflared access login\`;
                      access-bridge dev and doctor then send it to that host when no
                      CLOUDFLARE_ACCESS_* variable is set

Options with --remote or --issuer:
  --relay <url>       receive the browser's callback through your deployed auth relay (also
                      ACCESS_BRIDGE_RELAY_URL); chosen automatically over SSH, in containers
                      and Codespaces when set
  --device            use the device authorization flow (RFC 8628): a URL and a code to
                      type in any browser, on any machine
  --no-browser        print the URL but do not open a browser
  --client-id <id>    a pre-registered public client (default: the CLI registers itself)

Tokens live in $ACCESS_BRIDGE_CONFIG_DIR, else $XDG_CONFIG_HOME/access-bridge, else
~/.config/access-bridge. See also: access-bridge whoami, access-bridge logout.`;

export async function loginCommand(args: string[]): Promise<number> {
  const values = parseCommandArgs(
    args,
    {
      issuer: { type: "string" },
      remote: { type: "string" },
      access: { type: "string" },
      relay: { type: "string" },
      device: { type: "boolean" },
      "no-browser": { type: "boolean" },
      "client-id": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    LOGIN_HELP,
  );
  if (values.help) {
    process.stdout.write(`${LOGIN_HELP}\n`);
    return 0;
  }
  const usage = (message: string) => new CliError("ERR_USAGE", `${message}\n\n${LOGIN_HELP}`, 2);

  if (values.access !== undefined) {
    const withAccess = (
      ["issuer", "remote", "relay", "device", "no-browser", "client-id"] as const
    ).filter((name) => values[name] !== undefined);
    if (withAccess.length > 0) {
      throw usage(
        `--access cannot be combined with --${withAccess.join(", --")}: cloudflared runs its own sign-in.`,
      );
    }
    return loginToAccess(values.access, usage);
  }
  if (values.issuer === undefined && values.remote === undefined) {
    throw usage(
      "Say what to log in to: --remote <url> for a proxy server in OAuth mode, --issuer <url> for an OAuth server, or --access <host> for a Cloudflare Access application.",
    );
  }
  if (values.issuer !== undefined && values.remote !== undefined) {
    throw usage(
      "--remote and --issuer both name what to log in to; pass one. A proxy server in OAuth mode names its own issuer.",
    );
  }
  if (values.device && values.relay !== undefined) {
    throw usage(
      "--device and --relay are two different ways to sign in; pass one of them. The device flow needs no callback, so no relay.",
    );
  }
  if (values.relay !== undefined) {
    try {
      parseRelayUrl(values.relay);
    } catch (error) {
      if (error instanceof AuthRelayError) throw usage(error.detail);
      throw error;
    }
  }
  const target =
    values.remote !== undefined
      ? { remote: parseRemoteOption(values.remote, usage) }
      : { issuer: parseIssuerOption(values.issuer as string, LOGIN_HELP) };

  // Ctrl-C ends the wait cleanly: the loopback server or the relay socket is closed first.
  const cancel = new AbortController();
  const onSigint = () => cancel.abort();
  process.once("SIGINT", onSigint);
  try {
    const result = await login({
      ...target,
      ...(values.relay !== undefined ? { relayUrl: values.relay } : {}),
      ...(values.device ? { transport: "device" as const } : {}),
      ...(values["client-id"] !== undefined ? { clientId: values["client-id"] } : {}),
      openBrowser: !values["no-browser"],
      onPrompt: printPrompt,
      signal: cancel.signal,
    });
    process.stdout.write(
      [
        result.remote === undefined
          ? `✓ Logged in to ${result.issuer} (${result.transport} transport).`
          : `✓ Signed in to ${result.remote} (${result.transport} transport).`,
        `  Access token ${describeExpiry(result.expiresAt)}.`,
        `  Stored in ${result.file} (readable only by you).`,
        "",
      ].join("\n"),
    );
    return 0;
  } catch (error) {
    if (cancel.signal.aborted && error instanceof AuthRelayError) {
      process.stderr.write("✘ Login cancelled; nothing was stored.\n");
      return 130;
    }
    throw error;
  } finally {
    process.off("SIGINT", onSigint);
  }
}

function printPrompt(prompt: LoginPrompt): void {
  const why = prompt.reasons.length > 0 ? ` (${prompt.reasons.join(", ")})` : "";
  const minutes = Math.round(RELAY_SESSION_TTL_SECONDS / 60);
  process.stderr.write(
    [
      `Signing in with the ${prompt.transport} transport${why}.`,
      prompt.userCode === undefined
        ? "Open this URL in a browser and approve the request:"
        : "Open this URL in a browser on any device:",
      "",
      `  ${prompt.url}`,
      "",
      ...(prompt.userCode === undefined ? [] : [`and enter the code ${prompt.userCode}`, ""]),
      `Waiting up to ${minutes} minutes for you to finish (Ctrl-C to cancel)…`,
      "",
    ].join("\n"),
  );
}

async function loginToAccess(value: string, usage: (message: string) => CliError): Promise<number> {
  const app = accessAppUrl(value);
  if (app === undefined) {
    throw usage(
      `--access "${value}" is not a host name; pass e.g. --access proxy.example.workers.dev.`,
    );
  }
  if (app.protocol !== "https:") {
    throw usage(
      `--access "${value}" is not https, and Cloudflare Access only protects https hosts; pass the host name alone, e.g. --access ${app.host}.`,
    );
  }
  const token = await loginWithCloudflared({ host: app.origin });
  const stored = await new AccessTokenStore().write(app.host, token);
  process.stdout.write(
    [
      `✓ Got a Cloudflare Access token for ${stored.host}; it ${describeExpiry(stored.expiresAt)}.`,
      `  Stored in ${stored.file} (readable only by you).`,
      `  access-bridge dev and doctor send it to ${stored.host} when no CLOUDFLARE_ACCESS_* variable is set.`,
      "",
    ].join("\n"),
  );
  return 0;
}
