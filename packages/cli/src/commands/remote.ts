import path from "node:path";
import { logger } from "../logger.js";
import {
  APPLICATION_TYPES,
  startRemoteFixture,
  type RemoteFixture,
} from "../remote-fixture/start-remote-fixture.js";
import { CliError } from "../cli-error.js";
import { parseCommandArgs, parsePort } from "./parse-args.js";
import { SignalGuard, signalExitCode } from "./shutdown.js";

export const REMOTE_HELP = `Usage: access-bridge remote [options]

Starts a stand-in for your deployed remote, for test suites and CI: the proxy server behind an
emulated Cloudflare Access, with local in-memory stand-ins for the bindings your wrangler config
marks "remote": true. It listens on 127.0.0.1 only and runs until Ctrl-C or SIGTERM.

When ready it prints the lines a test runner exports:
  ACCESS_BRIDGE_REMOTE_URL=http://127.0.0.1:<port>
  CLOUDFLARE_ACCESS_CLIENT_ID=<id>
  CLOUDFLARE_ACCESS_CLIENT_SECRET=<secret>
then one JSON line with the same and its process id, for scripts. Printing the service token's secret is what this
command is for: the token is minted for this run, valid only here, and dies with the process.
No other line it prints shows it.

Options:
  -c, --config <path>   the wrangler config whose remote bindings to stand in for (default: the
                        one wrangler finds)
  --port <n>            port on 127.0.0.1 (default 0: a free one)
  --type <type>         service_auth_only (service tokens only; default) or self_hosted (people
                        can also sign in, on the emulator's sign-in page)`;

function describe(fixture: RemoteFixture, configPath: string): string {
  const bindings = fixture.bindings.map(
    (binding) => `${binding.name} (${binding.type}${binding.standIn ? "" : ", no stand-in"})`,
  );
  const which =
    bindings.length === 0
      ? `no bindings: ${configPath} marks none "remote": true`
      : `stand-ins for the remote bindings of ${configPath}: ${bindings.join(", ")}`;
  const missing = fixture.bindings.filter((binding) => !binding.standIn);
  return [
    `access-bridge remote: the proxy server behind an emulated Cloudflare Access (${fixture.access.type}), with ${which}.`,
    ...(missing.length === 0
      ? []
      : [
          `Calls to ${missing.map((binding) => binding.name).join(", ")} fail with a message that says why: only Cloudflare has them.`,
        ]),
    `ctx.access of each request: ${fixture.access.identityUrl}`,
    ...(fixture.access.type === "self_hosted"
      ? [`Sign in from a browser: ${fixture.access.loginUrl}`]
      : []),
    // Its own pid: a runner that started it through npx must signal this process, not npx's.
    `Ready on ${fixture.url} (process ${process.pid}; SIGTERM or Ctrl-C stops it)`,
  ].join("\n");
}

/** The lines a test runner exports, then the same as one JSON line: the only lines with the secret. */
function credentialLines(fixture: RemoteFixture): string {
  const environment = fixture.environment();
  const { clientId, clientSecret } = fixture.serviceToken;
  const json = {
    url: fixture.url,
    pid: process.pid,
    serviceToken: { clientId, clientSecret },
    env: environment,
    access: fixture.access,
    bindings: fixture.bindings,
  };
  return [
    ...Object.entries(environment).map(([name, value]) => `${name}=${value}`),
    JSON.stringify(json),
  ].join("\n");
}

export async function remoteCommand(args: string[]): Promise<number> {
  const values = parseCommandArgs(
    args,
    {
      config: { type: "string", short: "c" },
      port: { type: "string" },
      type: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    REMOTE_HELP,
  );
  if (values.help) {
    process.stdout.write(`${REMOTE_HELP}\n`);
    return 0;
  }
  const type = values.type ?? "service_auth_only";
  if (!(APPLICATION_TYPES as readonly string[]).includes(type)) {
    throw new CliError(
      "ERR_USAGE",
      `--type must be service_auth_only or self_hosted, got "${type}".\n\n${REMOTE_HELP}`,
      2,
    );
  }
  const port = parsePort(values.port, 0, REMOTE_HELP);
  const guard = new SignalGuard();
  try {
    const fixture = await startRemoteFixture({
      config: values.config,
      port,
      type: type as (typeof APPLICATION_TYPES)[number],
    });
    try {
      if (guard.requested === undefined) {
        const configPath = fixture.configPath;
        logger.info(describe(fixture, path.relative(process.cwd(), configPath) || configPath));
        process.stdout.write(`${credentialLines(fixture)}\n`);
      }
      const signal = await guard.next();
      logger.info("Shutting down.");
      // A CI runner ends a service with SIGTERM; that stop is the expected end, not a failure.
      return signal === "SIGTERM" ? 0 : signalExitCode(signal);
    } finally {
      await fixture.dispose();
    }
  } finally {
    guard.dispose();
  }
}
