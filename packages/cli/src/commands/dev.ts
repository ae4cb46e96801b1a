import path from "node:path";
import {
  brokerVariables,
  describeEmbeddedRemoteState,
  environmentProblem,
  newProxyClientWorkerName,
  readUserConfig,
  resolveProject,
  openSessionRemote,
  startSignInBroker,
  wranglerEnvironment,
  type Project,
  type OpenedSessionRemote,
  type UserConfig,
} from "@access-bridge/dev-session";
import { describeCredentials, type TokenBroker } from "@access-bridge/remote-bindings";
import { CliError } from "../cli-error.js";
import { logger } from "../logger.js";
import { parseDevArgs, wranglerArgs } from "../wrangler/dev-args.js";
import { carriedIn, generateConfigs, type GeneratedConfigs } from "../wrangler/generate-configs.js";
import { runWranglerDev } from "../wrangler/run-wrangler-dev.js";
import { watchUserConfig } from "../wrangler/watch-user-config.js";
import { SignalGuard, signalExitCode } from "./shutdown.js";

export const DEV_HELP = `Usage: access-bridge dev [options] [any wrangler dev option]

Runs your Worker with your own wrangler dev. The bindings your wrangler config marks
"remote": true (and those wrangler always runs remotely, such as ai) go through your remote
proxy server behind Cloudflare Access, with credentials from CLOUDFLARE_ACCESS_CLIENT_ID +
CLOUDFLARE_ACCESS_CLIENT_SECRET (a service token), CLOUDFLARE_ACCESS_TOKEN, or
access-bridge login --access. wrangler never logs in for them.

Options:
  -c, --config <path>   your wrangler.json, wrangler.jsonc or wrangler.toml (default: the one
                        wrangler finds)
  --remote-url <url>    your deployed proxy server (default: ACCESS_BRIDGE_REMOTE_URL; with
                        neither, an embedded remote on loopback behind an emulated Access)
  --fresh-remote        start the embedded remote's stand-ins (KV, R2, D1) empty; by default
                        they keep their state in .wrangler/access-bridge/embedded-remote/, and
                        each D1 stand-in gets the migrations of its migrations_dir

Every other option goes to wrangler dev as it is: --port, --ip, --env, --env-file,
--inspector-port, --log-level, --var, --persist-to, …`;

function announce(
  generated: GeneratedConfigs,
  remote: OpenedSessionRemote,
  env: string | undefined,
): void {
  for (const warning of generated.warnings) logger.warn(warning);
  const carried = carriedIn(generated.rewritten, env).map((binding) => binding.name);
  const which = `Remote bindings (${carried.length}: ${carried.join(", ")})`;
  if (remote.embedded) {
    logger.info(
      `${which} go to an embedded remote on loopback behind an emulated Cloudflare Access. For your deployment: --remote-url https://<your-proxy>.workers.dev`,
    );
  } else {
    const what = describeCredentials(remote.credentials, { signedIn: remote.bearer !== undefined });
    logger.info(`${which} go to ${remote.url.origin}, with ${what}.`);
  }
}

async function runGenerated(
  project: Project,
  args: ReturnType<typeof parseDevArgs>,
  guard: SignalGuard,
): Promise<number> {
  const problem = environmentProblem(process.env);
  if (problem !== undefined) throw new CliError("ERR_UNSAFE_ENVIRONMENT", problem);
  const { wrangler, config, carried, environment: env } = project;
  // Opened, not started: the embedded remote starts beside wrangler (its address and token are
  // known at once, and an early call waits for it at its door).
  const remote = await openSessionRemote(project, {
    env: process.env,
    state: args.freshRemote ? "fresh" : "kept",
  });
  let stopWatching = () => {};
  let broker: TokenBroker | undefined;
  try {
    broker = await startSignInBroker(remote.bearer);
    if (guard.requested !== undefined) return signalExitCode(guard.requested);
    // Decided once: a config edit regenerates the configs of the same, running proxy client.
    const clientWorkerName = newProxyClientWorkerName();
    const generate = (current: UserConfig) =>
      generateConfigs({
        config: current,
        remoteUrl: remote.url,
        credentials: remote.credentials,
        credentialSource: remote.source,
        clientWorkerName,
        env,
        subfolder: "dev",
      });
    // Something is carried (the caller checked), so there is a proxy client to run.
    const generated = generate(config)!;
    announce(generated, remote, env);
    stopWatching = watchUserConfig(config.path, () => {
      const current = readUserConfig(wrangler, { cwd: process.cwd(), config: config.path, env });
      const next = generate(current);
      if (next === undefined) {
        logger.warn(
          "Your config has no remote bindings any more; wrangler keeps running the last generated config. Restart to run it as plain wrangler dev.",
        );
        return;
      }
      const known = new Set(carried.map((binding) => binding.name));
      const added = next.rewritten.sections
        .flatMap((section) => section.carried)
        .filter((binding) => !known.has(binding.name));
      if (remote.embedded && added.length > 0) {
        logger.warn(
          `The embedded remote has no stand-in for ${added.map((binding) => binding.name).join(", ")} yet: restart access-bridge dev to add them.`,
        );
      }
    });
    const configDir = path.dirname(config.path);
    const exited = runWranglerDev(
      wrangler,
      [
        "-c",
        generated.userConfig,
        "-c",
        generated.clientConfig,
        // State stays where wrangler dev keeps it for the user's config, not beside ours.
        ...(args.persistTo ? [] : ["--persist-to", path.join(configDir, ".wrangler", "state")]),
        ...wranglerArgs(args, configDir),
      ],
      {
        env: wranglerEnvironment(process.env, {
          ...generated.rewritten.credentialVariables,
          ...brokerVariables(broker),
        }),
        guard,
      },
    );
    // Started once wrangler's process is (see OpenedSessionRemote.start).
    let remoteFailure: unknown;
    void remote.start().then(
      (started) => {
        if (started.embedded === undefined) return;
        for (const line of describeEmbeddedRemoteState(started.embedded, process.cwd())) {
          logger.info(line);
        }
      },
      (error: unknown) => {
        // wrangler is running: stop it as Ctrl-C would, then report why.
        remoteFailure = error;
        guard.request("SIGTERM");
      },
    );
    const code = await exited;
    if (remoteFailure !== undefined) throw remoteFailure;
    return code;
  } finally {
    stopWatching();
    await broker?.close();
    await remote.dispose();
  }
}

export async function devCommand(argv: string[]): Promise<number> {
  const args = parseDevArgs(argv, DEV_HELP);
  if (args.help) {
    process.stdout.write(`${DEV_HELP}\n`);
    return 0;
  }
  const guard = new SignalGuard();
  try {
    const cwd = process.cwd();
    const project = resolveProject({
      cwd,
      config: args.config,
      environment: args.env,
      remoteUrl: { value: args.remoteUrl, source: "--remote-url" },
      env: process.env,
    });
    const { wrangler, config } = project;
    if (guard.requested !== undefined) return signalExitCode(guard.requested);
    if (project.carried.length === 0) {
      logger.info(
        `No remote bindings in ${path.relative(cwd, config.path) || config.path}: this is plain wrangler dev.`,
      );
      return await runWranglerDev(
        wrangler,
        ["-c", config.path, ...wranglerArgs(args, path.dirname(config.path))],
        { env: process.env, guard },
      );
    }
    return await runGenerated(project, args, guard);
  } finally {
    guard.dispose();
  }
}
