import { findConfigFile } from "../config/read-config-file.js";
import { createLogger } from "../logger.js";
import { startDevServer } from "../dev/start-dev-server.js";
import { parseCommandArgs, parseLogLevel, parsePort } from "./parse-args.js";
import { runUntilSignal } from "./shutdown.js";

export const DEV_HELP = `Usage: access-bridge dev [options]

Runs your Worker locally in workerd. Bindings marked "remote": true reach the real ones through
your remote proxy server, with Cloudflare Access credentials from CLOUDFLARE_ACCESS_CLIENT_ID +
CLOUDFLARE_ACCESS_CLIENT_SECRET (a service token) or CLOUDFLARE_ACCESS_TOKEN.

Options:
  --config <path>       wrangler.jsonc, wrangler.json or wrangler.toml (default: found in .)
  --remote-url <url>    your deployed proxy server (default: ACCESS_BRIDGE_REMOTE_URL; with
                        neither, an embedded remote on loopback behind an emulated Access)
  --port <n>            port to listen on (default 8787; 0 picks a free one)
  --ip <address>        address to listen on (default 127.0.0.1)
  --log-level <level>   error, warn, info or debug (debug adds one line per remote binding call)`;

export async function devCommand(args: string[]): Promise<number> {
  const values = parseCommandArgs(
    args,
    {
      config: { type: "string" },
      "remote-url": { type: "string" },
      port: { type: "string" },
      ip: { type: "string" },
      "log-level": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    DEV_HELP,
  );
  if (values.help) {
    process.stdout.write(`${DEV_HELP}\n`);
    return 0;
  }
  const logger = createLogger(parseLogLevel(values["log-level"], DEV_HELP));
  const server = await startDevServer({
    configPath: findConfigFile(process.cwd(), values.config),
    ...(values["remote-url"] === undefined ? {} : { remoteUrl: values["remote-url"] }),
    port: parsePort(values.port, 8787, DEV_HELP),
    ip: values.ip ?? "127.0.0.1",
    logger,
    env: process.env,
  });
  const remoteCount = server.config.bindings.filter((binding) => binding.remote).length;
  if (server.embeddedRemote !== undefined) {
    logger.info(
      `Remote bindings (${remoteCount}) go to an embedded remote on loopback behind an emulated Cloudflare Access. For your deployment: --remote-url https://<your-proxy>.workers.dev`,
    );
  } else if (server.remoteUrl !== undefined && remoteCount > 0) {
    logger.info(`Remote bindings (${remoteCount}) go to ${server.remoteUrl.origin}`);
  }
  logger.info(`Ready on ${server.url.href}`);
  return runUntilSignal(logger);
}
