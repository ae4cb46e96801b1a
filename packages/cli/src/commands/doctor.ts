import path from "node:path";
import {
  DevSessionError,
  resolveRemoteUrl,
  resolveSessionCredentials,
  startEmbeddedRemote,
  readUserConfig,
  type UserConfig,
  findProjectWrangler,
} from "@access-bridge/dev-session";
import {
  carriedBindingsByEnvironment,
  type AccessCredentials,
  type AccessCredentialSource,
  type BearerTokenSource,
  type CarriedBinding,
} from "@access-bridge/remote-bindings";
import { CliError } from "../cli-error.js";
import { runDoctorChecks, type CheckResult } from "../doctor/doctor-checks.js";
import { parseCommandArgs } from "./parse-args.js";
import { SignalGuard, signalExitCode } from "./shutdown.js";

export const DOCTOR_HELP = `Usage: access-bridge doctor [options]

Checks that your remote proxy server is reachable, whether Cloudflare Access protects it, that
Access accepts your credentials (never printed), whether it is in OAuth mode and accepts your
sign-in (access-bridge login --remote), that the server speaks the remote-bindings protocol,
and that it exposes every binding your config marks remote. Exits 1 if any check fails.

Options:
  -c, --config <path>   wrangler config whose remote bindings to check (default: the one
                        wrangler finds)
  -e, --env <name>      check the bindings of this environment of the config
  --remote-url <url>    the proxy server (default: ACCESS_BRIDGE_REMOTE_URL; with neither,
                        the embedded remote that access-bridge dev would start)`;

const MARK: Record<CheckResult["level"], string> = { pass: "✓", warn: "!", fail: "✘" };

/** The config, when there is one: doctor also checks a bare --remote-url. */
function loadConfig(
  configFlag: string | undefined,
  env: string | undefined,
): UserConfig | undefined {
  const cwd = process.cwd();
  const projectDir = configFlag === undefined ? cwd : path.dirname(path.resolve(cwd, configFlag));
  try {
    return readUserConfig(findProjectWrangler(projectDir), { cwd, config: configFlag, env });
  } catch (error) {
    if (
      configFlag === undefined &&
      error instanceof DevSessionError &&
      error.code === "ERR_CONFIG_NOT_FOUND"
    ) {
      return undefined;
    }
    throw error;
  }
}

export async function doctorCommand(args: string[]): Promise<number> {
  const values = parseCommandArgs(
    args,
    {
      config: { type: "string", short: "c" },
      env: { type: "string", short: "e" },
      "remote-url": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    DOCTOR_HELP,
  );
  if (values.help) {
    process.stdout.write(`${DOCTOR_HELP}\n`);
    return 0;
  }
  const config = loadConfig(values.config, values.env);
  const sections =
    config === undefined
      ? []
      : carriedBindingsByEnvironment(config.raw, path.basename(config.path));
  const carried = sections.flatMap((section) => section.carried);
  const selected = sections.find((section) => section.environment === values.env) ?? sections[0];
  const bindings = (selected?.carried ?? []).map((binding) => binding.name);
  const remoteUrl = resolveRemoteUrl(
    { value: values["remote-url"], source: "--remote-url" },
    process.env,
  );

  const guard = new SignalGuard();
  try {
    return await check(config, remoteUrl, { carried, bindings }, guard);
  } finally {
    guard.dispose();
  }
}

async function check(
  config: UserConfig | undefined,
  remoteUrl: URL | undefined,
  { carried, bindings }: { carried: CarriedBinding[]; bindings: string[] },
  guard: SignalGuard,
): Promise<number> {
  let url: URL;
  let credentials: AccessCredentials | undefined;
  let source: AccessCredentialSource;
  let bearer: BearerTokenSource | undefined;
  let stop = async () => {};
  if (remoteUrl !== undefined) {
    url = remoteUrl;
    const resolved = await resolveSessionCredentials(remoteUrl, process.env);
    credentials = resolved.credentials;
    source = resolved.source;
    bearer = resolved.bearer?.source;
  } else {
    if (config === undefined) {
      throw new CliError(
        "ERR_USAGE",
        `doctor needs a remote: pass --remote-url <url>, set ACCESS_BRIDGE_REMOTE_URL, or run it where a wrangler config with remote bindings is.\n\n${DOCTOR_HELP}`,
        2,
      );
    }
    const embedded = await startEmbeddedRemote({
      carried,
      configDir: path.dirname(config.path),
      // A check writes nothing into the project.
      state: "in-memory",
    });
    url = embedded.url;
    credentials = embedded.credentials;
    source = "embedded";
    stop = embedded.dispose;
    process.stdout.write(
      `Checking the embedded remote (${url.origin}), as access-bridge dev would start it.\n`,
    );
  }

  try {
    const outcome = await Promise.race([
      runDoctorChecks({ url, credentials, source, bindings, ...(bearer ? { bearer } : {}) }).then(
        (results) => ({ results }),
      ),
      guard.next().then((signal) => ({ signal })),
    ]);
    if ("signal" in outcome) return signalExitCode(outcome.signal);
    const { results } = outcome;
    for (const result of results) {
      process.stdout.write(`${MARK[result.level]} ${result.title}\n`);
      if (result.fix !== undefined) process.stdout.write(`  fix: ${result.fix}\n`);
    }
    const failed = results.filter((result) => result.level === "fail").length;
    process.stdout.write(failed === 0 ? "All checks passed.\n" : `${failed} check(s) failed.\n`);
    return failed === 0 ? 0 : 1;
  } finally {
    await stop();
  }
}
