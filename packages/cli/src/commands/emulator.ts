import { startAccessEmulator, type AccessEmulator } from "@access-bridge/access-emulator";
import { CliError } from "../cli-error.js";
import { withoutSignalListeners } from "@access-bridge/dev-session";
import { parseCommandArgs, parsePort } from "./parse-args.js";
import { runUntilSignal, SignalGuard } from "./shutdown.js";

export const EMULATOR_HELP = `Usage: access-bridge emulator --origin <url> [options]

Starts a local Cloudflare Access emulator in front of <url> and prints a service token and a
curl line that passes through it. For tests and demos: it listens on 127.0.0.1 only.

Options:
  --origin <url>        what Access protects, e.g. http://127.0.0.1:8787 (required)
  --port <n>            port to listen on (default 0: a free one)
  --type <type>         self_hosted (people sign in; default) or service_auth_only`;

export async function emulatorCommand(args: string[]): Promise<number> {
  const values = parseCommandArgs(
    args,
    {
      origin: { type: "string" },
      port: { type: "string" },
      type: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    EMULATOR_HELP,
  );
  if (values.help) {
    process.stdout.write(`${EMULATOR_HELP}\n`);
    return 0;
  }
  if (values.origin === undefined) {
    throw new CliError("ERR_USAGE", `--origin is required.\n\n${EMULATOR_HELP}`, 2);
  }
  const type = values.type ?? "self_hosted";
  if (type !== "self_hosted" && type !== "service_auth_only") {
    throw new CliError(
      "ERR_USAGE",
      `--type must be self_hosted or service_auth_only, got "${type}".\n\n${EMULATOR_HELP}`,
      2,
    );
  }
  const port = parsePort(values.port, 0, EMULATOR_HELP);
  const guard = new SignalGuard();
  try {
    const access = await withoutSignalListeners(() =>
      startAccessEmulator({ origin: { url: values.origin! }, application: { type }, port }),
    );
    printToken(access, type, values.origin);
    return await runUntilSignal(guard, () => access.dispose());
  } finally {
    guard.dispose();
  }
}

function printToken(access: AccessEmulator, type: string, origin: string): void {
  const token = access.createServiceToken();
  // This token exists only in this emulator and dies with it; printing it is the point.
  process.stdout.write(
    [
      `Access emulator (${type}) in front of ${origin}`,
      `Ready on ${access.url}`,
      `Service token (emulator only):`,
      `  CLOUDFLARE_ACCESS_CLIENT_ID=${token.clientId}`,
      `  CLOUDFLARE_ACCESS_CLIENT_SECRET=${token.clientSecret}`,
      `Try: curl -i -H "CF-Access-Client-Id: ${token.clientId}" -H "CF-Access-Client-Secret: ${token.clientSecret}" ${access.url}/`,
      `JWKS: ${access.certsUrl}   team domain: ${access.teamDomain}   aud: ${access.aud}`,
      ...(type === "self_hosted" ? [`Sign in from a browser: ${access.loginUrl}`] : []),
      "",
    ].join("\n"),
  );
}
