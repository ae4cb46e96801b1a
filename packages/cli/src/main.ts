import { AccessEmulatorError } from "@access-bridge/access-emulator";
import { AuthRelayError } from "@access-bridge/auth-relay";
import { RemoteBindingsError } from "@access-bridge/remote-bindings";
import { CliError } from "./cli-error.js";
import { devCommand } from "./commands/dev.js";
import { doctorCommand } from "./commands/doctor.js";
import { emulatorCommand } from "./commands/emulator.js";
import { loginCommand } from "./commands/login.js";
import { logoutCommand } from "./commands/logout.js";
import { whoamiCommand } from "./commands/whoami.js";
import { wranglerConfigCommand } from "./commands/wrangler-config.js";

const HELP = `Usage: access-bridge <command> [options]

Commands:
  dev              run your Worker with wrangler dev; its remote bindings go through Access
  wrangler-config  write the configs for a plain wrangler dev, and print the line to run
  doctor           check that a remote proxy is reachable, protected, and accepts your credentials
  emulator         start a local Cloudflare Access emulator in front of any origin
  login            sign in to an OAuth issuer, or get a Cloudflare Access token through cloudflared
  logout           delete stored tokens (and revoke them where the server supports it)
  whoami           list what you are logged in to, without showing any token

Run access-bridge <command> --help for a command's options.`;

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  dev: devCommand,
  doctor: doctorCommand,
  emulator: emulatorCommand,
  login: loginCommand,
  logout: logoutCommand,
  whoami: whoamiCommand,
  "wrangler-config": wranglerConfigCommand,
};

/** Runs one command and returns the exit code; errors a user can act on print without a stack. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${HELP}\n`);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (run === undefined) {
    process.stderr.write(`✘ Unknown command "${command}".\n\n${HELP}\n`);
    return 2;
  }
  try {
    return await run(args);
  } catch (error) {
    // Our packages' errors are written for the person at the terminal; anything else is a bug.
    if (
      error instanceof CliError ||
      error instanceof AccessEmulatorError ||
      error instanceof AuthRelayError ||
      error instanceof RemoteBindingsError
    ) {
      process.stderr.write(`✘ ${error.message}\n`);
      return error instanceof CliError ? error.exitCode : 1;
    }
    throw error;
  }
}
