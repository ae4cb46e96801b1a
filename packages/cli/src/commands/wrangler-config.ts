import path from "node:path";
import {
  environmentProblem,
  newProxyClientWorkerName,
  resolveRemoteUrl,
  readUserConfig,
  findProjectWrangler,
} from "@access-bridge/dev-session";
import {
  CREDENTIAL_SOURCES,
  halfSetServiceToken,
  halfSetTokenAdvice,
} from "@access-bridge/remote-bindings";
import { CliError } from "../cli-error.js";
import { logger } from "../logger.js";
import { carriedIn, generateConfigs } from "../wrangler/generate-configs.js";
import { parseCommandArgs } from "./parse-args.js";

export const WRANGLER_CONFIG_HELP = `Usage: access-bridge wrangler-config --remote-url <url> [options]

Writes the configs that run your Worker with plain wrangler dev, its remote bindings through
your proxy server behind Cloudflare Access, to .wrangler/access-bridge/ beside your config
(git-ignored), and prints the wrangler dev line to run. Run it again after editing your config.

Options:
  -c, --config <path>   your wrangler config (default: the one wrangler finds)
  --remote-url <url>    your deployed proxy server (default: ACCESS_BRIDGE_REMOTE_URL)
  -e, --env <name>      the environment you will run, added to the printed line`;

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export async function wranglerConfigCommand(args: string[]): Promise<number> {
  const values = parseCommandArgs(
    args,
    {
      config: { type: "string", short: "c" },
      "remote-url": { type: "string" },
      env: { type: "string", short: "e" },
      help: { type: "boolean", short: "h" },
    },
    WRANGLER_CONFIG_HELP,
  );
  if (values.help) {
    process.stdout.write(`${WRANGLER_CONFIG_HELP}\n`);
    return 0;
  }
  const remoteUrl = resolveRemoteUrl(
    { value: values["remote-url"], source: "--remote-url" },
    process.env,
  );
  if (remoteUrl === undefined) {
    throw new CliError(
      "ERR_USAGE",
      `wrangler-config needs the proxy server: pass --remote-url <url> or set ACCESS_BRIDGE_REMOTE_URL. (Without a deployed one, access-bridge dev runs an embedded remote for as long as it runs.)\n\n${WRANGLER_CONFIG_HELP}`,
      2,
    );
  }
  const cwd = process.cwd();
  const projectDir =
    values.config === undefined ? cwd : path.dirname(path.resolve(cwd, values.config));
  const config = readUserConfig(findProjectWrangler(projectDir), {
    cwd,
    config: values.config,
    env: values.env,
  });
  const generated = generateConfigs({
    config,
    remoteUrl,
    // A plain `wrangler dev` of these configs reads CLOUDFLARE_ACCESS_* only.
    credentialSource: "environment",
    clientWorkerName: newProxyClientWorkerName(),
    env: values.env,
  });
  const relative = (file: string) => path.relative(cwd, file) || ".";
  if (generated === undefined) {
    logger.info(
      `${relative(config.path)} has no remote bindings, so there is nothing to generate: run wrangler dev as usual.`,
    );
    return 0;
  }
  for (const warning of generated.warnings) logger.warn(warning);
  const carried = carriedIn(generated.rewritten, values.env).map((binding) => binding.name);
  const command = [
    "npx",
    "wrangler",
    "dev",
    "-c",
    relative(generated.userConfig),
    "-c",
    relative(generated.clientConfig),
    "--persist-to",
    relative(path.join(path.dirname(config.path), ".wrangler", "state")),
    ...(values.env === undefined ? [] : ["--env", values.env]),
  ].map(shellWord);
  const sources = Object.values(CREDENTIAL_SOURCES);
  logger.info(
    [
      `Wrote the configs for wrangler dev to ${relative(generated.outDir)}/ (git-ignored).`,
      `Remote bindings (${carried.length}: ${carried.join(", ")}) go to ${remoteUrl.origin}.`,
      "",
      "Run:",
      `  ${command.join(" ")}`,
      "",
      `The proxy client takes its Access credentials from the environment wrangler runs in:`,
      `${sources[0]} + ${sources[1]} (a service token) or ${sources[2]}. No file holds them.`,
      `Run access-bridge wrangler-config again after you edit ${path.basename(config.path)}.`,
    ].join("\n"),
  );
  const problem = environmentProblem(process.env);
  if (problem !== undefined) logger.warn(problem);
  const half = halfSetServiceToken(process.env);
  if (half !== undefined) logger.warn(halfSetTokenAdvice(half));
  return 0;
}
