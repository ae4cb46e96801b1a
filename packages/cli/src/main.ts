import { reportKnownError } from "./report-error.js";

const HELP = `Usage: access-bridge <command> [options]

Commands:
  dev              run your Worker with wrangler dev; its remote bindings go through Access
  deploy           deploy the proxy server with your config's remote bindings (--access: behind Access)
  wrangler-config  write the configs for a plain wrangler dev, and print the line to run
  doctor           check that a remote proxy is reachable, protected, and accepts your credentials
  emulator         start a local Cloudflare Access emulator in front of any origin
  run              run a framework's dev server (next dev, astro dev, …): its getPlatformProxy()
                   gets your remote bindings through Access
  remote           a stand-in for your remote behind an emulated Access, for test suites and CI
  login            sign in to an OAuth issuer, or get a Cloudflare Access token through cloudflared
  logout           delete stored tokens (and revoke them where the server supports it)
  whoami           list what you are logged in to, without showing any token

Run access-bridge <command> --help for a command's options.`;

type Command = (args: string[]) => Promise<number>;

// Each command loads only what it uses: Miniflare alone takes seconds to import, and `dev`
// with a deployed remote never needs it.
const COMMANDS: Record<string, () => Promise<Command>> = {
  dev: async () => (await import("./commands/dev.js")).devCommand,
  deploy: async () => (await import("./commands/deploy.js")).deployCommand,
  doctor: async () => (await import("./commands/doctor.js")).doctorCommand,
  emulator: async () => (await import("./commands/emulator.js")).emulatorCommand,
  login: async () => (await import("./commands/login.js")).loginCommand,
  logout: async () => (await import("./commands/logout.js")).logoutCommand,
  remote: async () => (await import("./commands/remote.js")).remoteCommand,
  run: async () => (await import("./commands/run.js")).runCommand,
  whoami: async () => (await import("./commands/whoami.js")).whoamiCommand,
  "wrangler-config": async () =>
    (await import("./commands/wrangler-config.js")).wranglerConfigCommand,
};

/** Runs one command and returns the exit code; errors a user can act on print without a stack. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${HELP}\n`);
    return command === undefined ? 2 : 0;
  }
  const load = COMMANDS[command];
  if (load === undefined) {
    process.stderr.write(`✘ Unknown command "${command}".\n\n${HELP}\n`);
    return 2;
  }
  try {
    return await (
      await load()
    )(args);
  } catch (error) {
    return reportKnownError(error);
  }
}
