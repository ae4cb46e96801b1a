// `access-bridge run -- <command>`: a framework's dev server (next dev, astro dev, vite dev for
// SvelteKit, nuxi dev) with its remote bindings through Access. The dev server gets its bindings
// from wrangler's getPlatformProxy(); this starts what those bindings need (the remote, or the
// embedded one; the token broker for OAuth mode; the proxy client in a `wrangler dev` of its own,
// which the dev registry names), then runs the command with hooks that hand its
// getPlatformProxy() the config whose remote bindings go to that proxy client
// (@access-bridge/platform-proxy). The command's own output and exit code are the user's.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  assertNodeCanRegisterHooks,
  carriedFor,
  encodeSession,
  proxyClientEnvironment,
  SESSION_VARIABLE,
  startProxyClientProcess,
  writePlatformConfig,
  type ProxyClientProcess,
} from "@access-bridge/platform-proxy";
import {
  brokerVariables,
  environmentProblem,
  newProxyClientWorkerName,
  openSessionRemote,
  resolveProject,
  startSignInBroker,
  type OpenedSessionRemote,
} from "@access-bridge/dev-session";
import {
  CREDENTIAL_SOURCES,
  describeCredentials,
  type TokenBroker,
} from "@access-bridge/remote-bindings";
import { CliError } from "../cli-error.js";
import { withCompileCache } from "../compile-cache.js";
import { logger } from "../logger.js";
import { SignalGuard, signalExitCode } from "./shutdown.js";

export const RUN_HELP = `Usage: access-bridge run [options] -- <command> [its arguments]

Runs a framework's dev server (or any command) whose bindings come from wrangler's
getPlatformProxy() — Next.js with @opennextjs/cloudflare, Astro with @astrojs/cloudflare,
SvelteKit, Nuxt, a script — with the bindings your wrangler config marks "remote": true going
through your proxy server behind Cloudflare Access. Nothing in your app changes.

  npx access-bridge run -- next dev
  npx access-bridge run -- astro dev

Options:
  -c, --config <path>   your wrangler config (default: the one wrangler finds)
  -e, --env <name>      the wrangler environment the dev server uses
  --remote-url <url>    your deployed proxy server (default: ACCESS_BRIDGE_REMOTE_URL; with
                        neither, an embedded remote on loopback behind an emulated Access)

Credentials: CLOUDFLARE_ACCESS_CLIENT_ID + CLOUDFLARE_ACCESS_CLIENT_SECRET, CLOUDFLARE_ACCESS_TOKEN,
or access-bridge login. They reach the proxy client only: the command runs without them.`;

interface RunArgs {
  config: string | undefined;
  env: string | undefined;
  remoteUrl: string | undefined;
  help: boolean;
  command: string[];
}

function parseRunArgs(argv: string[]): RunArgs {
  const args: RunArgs = {
    config: undefined,
    env: undefined,
    remoteUrl: undefined,
    help: false,
    command: [],
  };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === "--") {
      args.command = argv.slice(index + 1);
      break;
    }
    if (arg === "-h" || arg === "--help") {
      args.help = true;
      continue;
    }
    const [name, inline] = arg.startsWith("--") ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const key = {
      "-c": "config",
      "--config": "config",
      "-e": "env",
      "--env": "env",
      "--remote-url": "remoteUrl",
    }[name!] as "config" | "env" | "remoteUrl" | undefined;
    if (key === undefined) {
      // The command without a `--`: everything from here on is its.
      args.command = argv.slice(index);
      break;
    }
    const value = inline ?? argv[++index];
    if (value === undefined)
      throw new CliError("ERR_USAGE", `${name} needs a value.\n\n${RUN_HELP}`, 2);
    args[key] = value;
  }
  return args;
}

/**
 * The command's environment: the session's name, the hooks, no Access credential, and a temp
 * folder of its own. Frameworks never dispose the platform proxy they start (next dev exits on
 * Ctrl-C with its Miniflare's temp folder still there), so `run` removes that folder itself.
 */
function commandEnvironment(
  session: string | undefined,
  projectDir: string,
  tempDir: string,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tempDir, TMP: tempDir, TEMP: tempDir };
  for (const source of Object.values(CREDENTIAL_SOURCES)) delete env[source];
  // What `npx <command>` would find: the project's own binaries first.
  env.PATH = [path.join(projectDir, "node_modules", ".bin"), env.PATH]
    .filter(Boolean)
    .join(path.delimiter);
  if (session === undefined) return env;
  const register = import.meta.resolve("@access-bridge/platform-proxy/register");
  return {
    ...env,
    [SESSION_VARIABLE]: session,
    NODE_OPTIONS: [env.NODE_OPTIONS, `--import=${register}`].filter(Boolean).join(" "),
  };
}

function runChild(command: string[], env: NodeJS.ProcessEnv, guard: SignalGuard): Promise<number> {
  const child = spawn(command[0]!, command.slice(1), { stdio: "inherit", env });
  // In a terminal, Ctrl-C reaches the command too (same process group); a signal sent to this
  // process alone is passed on.
  guard.onSignal((signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
  return new Promise((resolve, reject) => {
    child.once("error", (error) =>
      reject(
        new CliError(
          "ERR_USAGE",
          `Could not start ${command[0]}: ${error.message}. Is it installed in this project?`,
          127,
          { cause: error },
        ),
      ),
    );
    child.once("exit", (code, signal) => resolve(code ?? signalExitCode(signal ?? "SIGTERM")));
  });
}

function announce(remote: OpenedSessionRemote, carried: string[]): void {
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

export async function runCommand(argv: string[]): Promise<number> {
  const args = parseRunArgs(argv);
  if (args.help) {
    process.stdout.write(`${RUN_HELP}\n`);
    return 0;
  }
  if (args.command.length === 0) {
    throw new CliError("ERR_USAGE", `Name the command to run after --.\n\n${RUN_HELP}`, 2);
  }
  const guard = new SignalGuard();
  let remote: OpenedSessionRemote | undefined;
  let broker: TokenBroker | undefined;
  let client: ProxyClientProcess | undefined;
  let outDir: string | undefined;
  const tempDir = mkdtempSync(path.join(tmpdir(), "access-bridge-run-"));
  try {
    const problem = environmentProblem(process.env);
    if (problem !== undefined) throw new CliError("ERR_UNSAFE_ENVIRONMENT", problem);
    const cwd = process.cwd();
    const project = resolveProject({
      cwd,
      config: args.config,
      environment: args.env,
      remoteUrl: { value: args.remoteUrl, source: "--remote-url" },
      env: process.env,
    });
    const { wrangler, config: user, environment } = project;
    if (project.carried.length === 0) {
      logger.info(
        `No remote bindings in ${path.relative(cwd, user.path) || user.path}: running ${args.command[0]} as it is.`,
      );
      return await runChild(
        args.command,
        commandEnvironment(undefined, path.dirname(user.path), tempDir),
        guard,
      );
    }
    // Before anything starts: the command would otherwise fail in its first import, after the
    // remote and the proxy client are up. (Its `node` is, in practice, this one: the same PATH.)
    assertNodeCanRegisterHooks();
    // The embedded remote keeps its stand-ins' state between runs, as under access-bridge dev.
    // Opened, not started: its address and token are known at once, and it starts beside the
    // proxy client's wrangler (issue 23), as under access-bridge dev.
    remote = await openSessionRemote(project, { env: process.env, state: "kept" });
    if (remote.bearer !== undefined) broker = await startSignInBroker(remote.bearer);
    if (guard.requested !== undefined) return signalExitCode(guard.requested);
    const clientWorkerName = newProxyClientWorkerName();
    const config = writePlatformConfig({
      user,
      remoteUrl: remote.url,
      clientWorkerName,
      credentials: remote.credentials,
      credentialSource: remote.source,
      environment,
    });
    outDir = config.outDir;
    for (const warning of config.warnings) logger.warn(warning);
    announce(
      remote,
      carriedFor(config.rewritten!, environment).map((binding) => binding.name),
    );
    // startProxyClientProcess spawns wrangler before its first await, so the remote's start (a
    // second workerd, Miniflare's import) runs beside wrangler's rather than in front of it. The
    // command waits for both: a remote that fails to start ends `run` before the command starts.
    const clientStarting = startProxyClientProcess({
      wrangler,
      clientConfig: config.clientConfig!,
      environment,
      env: withCompileCache(
        proxyClientEnvironment(process.env, {
          ...config.rewritten!.credentialVariables,
          ...brokerVariables(broker),
        }),
      ),
    });
    const [started, ready] = await Promise.allSettled([clientStarting, remote.start()]);
    if (started.status === "rejected") throw started.reason;
    client = started.value;
    if (ready.status === "rejected") throw ready.reason;
    if (guard.requested !== undefined) return signalExitCode(guard.requested);
    const session = encodeSession({
      remoteUrl: remote.url.href,
      clientWorkerName,
      credentialSource: remote.source,
    });
    return await runChild(
      args.command,
      commandEnvironment(session, path.dirname(user.path), tempDir),
      guard,
    );
  } finally {
    await client?.stop();
    await broker?.close();
    await remote?.dispose();
    if (outDir !== undefined) rmSync(outDir, { recursive: true, force: true });
    rmSync(tempDir, { recursive: true, force: true });
    guard.dispose();
  }
}
