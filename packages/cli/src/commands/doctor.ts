import { existsSync } from "node:fs";
import path from "node:path";
import { credentialsForUrl, type AccessCredentials } from "@access-bridge/remote-bindings";
import { CliError } from "../cli-error.js";
import { CONFIG_FILE_NAMES, findConfigFile, readConfigFile } from "../config/read-config-file.js";
import { toWorkerConfig, type WorkerConfig } from "../config/worker-config.js";
import { resolveCliCredentials } from "../dev/cli-credentials.js";
import { startEmbeddedRemote } from "../dev/embedded-remote.js";
import { resolveRemoteUrl } from "../dev/remote-url.js";
import { runDoctorChecks, type CheckResult } from "../doctor/doctor-checks.js";
import { parseCommandArgs } from "./parse-args.js";

export const DOCTOR_HELP = `Usage: access-bridge doctor [options]

Checks that your remote proxy server is reachable, whether Cloudflare Access protects it, that
Access accepts your credentials (never printed), that the server speaks the remote-bindings
protocol, and that it exposes every binding your config marks remote. Exits 1 if any check fails.

Options:
  --config <path>       wrangler config whose remote bindings to check (default: found in .)
  --remote-url <url>    the proxy server (default: ACCESS_BRIDGE_REMOTE_URL; with neither,
                        the embedded remote that access-bridge dev would start)`;

const MARK: Record<CheckResult["level"], string> = { pass: "✓", warn: "!", fail: "✘" };

function loadConfig(configFlag: string | undefined): WorkerConfig | undefined {
  const cwd = process.cwd();
  const present =
    configFlag !== undefined || CONFIG_FILE_NAMES.some((name) => existsSync(path.join(cwd, name)));
  return present ? toWorkerConfig(readConfigFile(findConfigFile(cwd, configFlag))) : undefined;
}

export async function doctorCommand(args: string[]): Promise<number> {
  const values = parseCommandArgs(
    args,
    {
      config: { type: "string" },
      "remote-url": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    DOCTOR_HELP,
  );
  if (values.help) {
    process.stdout.write(`${DOCTOR_HELP}\n`);
    return 0;
  }
  const config = loadConfig(values.config);
  const bindings = (config?.bindings ?? [])
    .filter((binding) => binding.remote)
    .map((binding) => binding.name);
  const remoteUrl = resolveRemoteUrl(values["remote-url"], process.env);

  let url: URL;
  let credentials: AccessCredentials | undefined;
  let stop = async () => {};
  if (remoteUrl !== undefined) {
    url = remoteUrl;
    credentials = credentialsForUrl(resolveCliCredentials(process.env), remoteUrl);
  } else {
    if (config === undefined) {
      throw new CliError(
        "ERR_USAGE",
        `doctor needs a remote: pass --remote-url <url>, set ACCESS_BRIDGE_REMOTE_URL, or run it where a wrangler config with remote bindings is.\n\n${DOCTOR_HELP}`,
        2,
      );
    }
    const embedded = await startEmbeddedRemote(config);
    url = embedded.url;
    credentials = embedded.credentials;
    stop = embedded.dispose;
    process.stdout.write(
      `Checking the embedded remote (${url.origin}), as access-bridge dev would start it.\n`,
    );
  }

  try {
    const results = await runDoctorChecks({ url, credentials, bindings });
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
