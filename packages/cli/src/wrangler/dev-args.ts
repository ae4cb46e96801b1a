// `access-bridge dev` takes a few options of its own and hands every other one to `wrangler dev`
// unchanged, so that any wrangler flag works (and new ones keep working) without a copy of
// wrangler's option table here. A few of wrangler's own flags are read on the way through.
import path from "node:path";
import { CliError } from "../cli-error.js";

export interface DevArgs {
  /** `-c` / `--config`: the user's wrangler config (not passed on: the generated one is). */
  config: string | undefined;
  remoteUrl: string | undefined;
  /** `--fresh-remote`: the embedded remote's stand-ins start empty (their migrations applied). */
  freshRemote: boolean;
  /** `-e` / `--env`, also passed on. */
  env: string | undefined;
  help: boolean;
  /** Whether wrangler is told where to persist (`--persist-to`); if not, access-bridge says. */
  persistTo: boolean;
  /** Everything else, for `wrangler dev` (see wranglerArgs). */
  passThrough: (string | { envFile: string })[];
}

interface Flag {
  names: string[];
  takesValue: boolean;
}

const CONFIG: Flag = { names: ["-c", "--config"], takesValue: true };
const REMOTE_URL: Flag = { names: ["--remote-url"], takesValue: true };
const ENV: Flag = { names: ["-e", "--env"], takesValue: true };
const ENV_FILE: Flag = { names: ["--env-file"], takesValue: true };
const PERSIST_TO: Flag = { names: ["--persist-to"], takesValue: true };
const REMOTE: Flag = { names: ["-r", "--remote"], takesValue: false };
const FRESH_REMOTE: Flag = { names: ["--fresh-remote"], takesValue: false };
const HELP: Flag = { names: ["-h", "--help"], takesValue: false };

/** `--name value`, `--name=value` or `-n value`; undefined when `arg` is not this flag. */
function match(
  flag: Flag,
  args: readonly string[],
  index: number,
): { value: string | undefined; consumed: number } | undefined {
  const arg = args[index]!;
  for (const name of flag.names) {
    if (arg === name) {
      if (!flag.takesValue) return { value: undefined, consumed: 1 };
      const value = args[index + 1];
      if (value === undefined || (value.startsWith("-") && value !== "-")) {
        throw new CliError("ERR_USAGE", `${name} needs a value.`, 2);
      }
      return { value, consumed: 2 };
    }
    if (arg.startsWith(`${name}=`)) return { value: arg.slice(name.length + 1), consumed: 1 };
  }
  return undefined;
}

export function parseDevArgs(args: readonly string[], help: string): DevArgs {
  const result: DevArgs = {
    config: undefined,
    remoteUrl: undefined,
    freshRemote: false,
    env: undefined,
    help: false,
    persistTo: false,
    passThrough: [],
  };
  const usage = (message: string) => new CliError("ERR_USAGE", `${message}\n\n${help}`, 2);
  for (let index = 0; index < args.length;) {
    const config = match(CONFIG, args, index);
    const remoteUrl = match(REMOTE_URL, args, index);
    const envFile = match(ENV_FILE, args, index);
    const remote = match(REMOTE, args, index);
    const helpFlag = match(HELP, args, index);
    const freshRemote = match(FRESH_REMOTE, args, index);
    if (config !== undefined) {
      if (result.config !== undefined) {
        throw usage(
          "access-bridge dev runs one Worker config, and --config was given twice. Run your other Workers with their own wrangler dev: they find each other through wrangler's dev registry.",
        );
      }
      result.config = config.value;
      index += config.consumed;
    } else if (remoteUrl !== undefined) {
      result.remoteUrl = remoteUrl.value;
      index += remoteUrl.consumed;
    } else if (remote !== undefined) {
      throw usage(
        "--remote runs your Worker on Cloudflare, which needs wrangler login; access-bridge dev runs it locally, with its remote bindings through Access. For a remote preview, run wrangler dev --remote itself.",
      );
    } else if (freshRemote !== undefined) {
      result.freshRemote = true;
      index += freshRemote.consumed;
    } else if (helpFlag !== undefined) {
      result.help = true;
      index += helpFlag.consumed;
    } else if (envFile !== undefined) {
      result.passThrough.push({ envFile: envFile.value! });
      index += envFile.consumed;
    } else {
      const env = match(ENV, args, index);
      if (env !== undefined) result.env = env.value;
      if (match(PERSIST_TO, args, index) !== undefined) result.persistTo = true;
      result.passThrough.push(args[index]!);
      index += 1;
    }
  }
  return result;
}

/**
 * The arguments for `wrangler dev`. wrangler resolves `--env-file` against the folder of the
 * config it runs, which is no longer the user's: resolve it against the user's folder first.
 */
export function wranglerArgs(args: DevArgs, configDir: string): string[] {
  return args.passThrough.flatMap((arg) =>
    typeof arg === "string" ? [arg] : ["--env-file", path.resolve(configDir, arg.envFile)],
  );
}
