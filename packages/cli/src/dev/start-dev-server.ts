import { watch, type FSWatcher } from "node:fs";
import {
  credentialsForUrl,
  describeCredentials,
  remoteBindings,
  type AccessCredentials,
  type AccessCredentialsByHost,
} from "@access-bridge/remote-bindings";
import {
  convertV4MiniflareOptions,
  Miniflare,
  type V4MiniflareOptions as MiniflareOptions,
} from "miniflare";
import { CliError } from "../cli-error.js";
import { readConfigFile } from "../config/read-config-file.js";
import { toWorkerConfig, type WorkerConfig } from "../config/worker-config.js";
import type { Logger } from "../logger.js";
import { bundleWorker, type WorkerBundle } from "./bundle-worker.js";
import { withCallLog } from "./call-log.js";
import { resolveCliCredentials } from "./cli-credentials.js";
import { startEmbeddedRemote, type EmbeddedRemote } from "./embedded-remote.js";
import { assertPortFree } from "./port-check.js";
import { resolveRemoteUrl } from "./remote-url.js";
import { REQUEST_LOG_SCRIPT, REQUEST_LOG_WORKER, requestLogHandler } from "./request-log.js";
import { remoteBindingOptions, userWorkerOptions } from "./user-worker-options.js";

export interface DevServerOptions {
  configPath: string;
  remoteUrl?: string;
  port: number;
  ip: string;
  logger: Logger;
  env: Record<string, string | undefined>;
}

export interface DevServer {
  url: URL;
  config: WorkerConfig;
  /** Set when no remote URL was given and an embedded remote stands in for Cloudflare. */
  embeddedRemote?: EmbeddedRemote;
  remoteUrl?: URL;
  dispose(): Promise<void>;
}

const RELOAD_DEBOUNCE_MS = 100;

interface RemoteTarget {
  url: URL;
  credentials: AccessCredentials | AccessCredentialsByHost | null;
  embedded?: EmbeddedRemote;
}

async function remoteTarget(
  config: WorkerConfig,
  options: DevServerOptions,
): Promise<RemoteTarget | undefined> {
  const remoteUrl = resolveRemoteUrl(options.remoteUrl, options.env);
  if (remoteUrl !== undefined) {
    return { url: remoteUrl, credentials: resolveCliCredentials(options.env) };
  }
  if (!config.bindings.some((binding) => binding.remote)) return undefined;
  const embedded = await startEmbeddedRemote(config);
  return { url: embedded.url, credentials: embedded.credentials, embedded };
}

function miniflareOptions(
  config: WorkerConfig,
  bundle: WorkerBundle,
  target: RemoteTarget | undefined,
  options: DevServerOptions,
): MiniflareOptions {
  let user = userWorkerOptions(config, bundle);
  const extraWorkers = [];
  const remote = config.bindings.filter((binding) => binding.remote);
  if (target !== undefined && remote.length > 0) {
    const bridge = remoteBindings({
      remoteUrl: target.url.href,
      credentials: target.credentials,
      bindings: Object.fromEntries(
        remote.map((binding) => [binding.name, remoteBindingOptions(binding)]),
      ),
      onWarning: (message) => options.logger.warn(message),
    });
    user = bridge.apply(user);
    extraWorkers.push(...bridge.workers);
    if (options.logger.level === "debug") {
      const logged = withCallLog(user, bridge.workers[0]!.name!, options.logger);
      user = logged.user;
      extraWorkers.push(logged.callLog);
    }
  }
  return {
    host: options.ip,
    port: options.port,
    cf: false,
    workers: [
      {
        name: REQUEST_LOG_WORKER,
        modules: true,
        script: REQUEST_LOG_SCRIPT,
        compatibilityDate: "2026-04-01",
        serviceBindings: { USER: config.name, REQUEST_LOG: requestLogHandler(options.logger) },
      },
      user,
      ...extraWorkers,
    ],
  };
}

/** Runs the Worker of `options.configPath` in workerd, its remote bindings through Access. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const config = toWorkerConfig(readConfigFile(options.configPath));
  const nodeCompat = config.compatibilityFlags.some((flag) => flag.startsWith("nodejs_compat"));
  let bundle = await bundleWorker(config.main, nodeCompat);
  await assertPortFree(options.port, options.ip);
  const target = await remoteTarget(config, options);
  if (target !== undefined && target.embedded === undefined) {
    const sent = describeCredentials(credentialsForUrl(target.credentials, target.url));
    options.logger.debug(`remote ${target.url.origin}, with ${sent}`);
  }

  let miniflare: Miniflare | undefined;
  let url: URL;
  try {
    miniflare = new Miniflare(
      convertV4MiniflareOptions(miniflareOptions(config, bundle, target, options)),
    );
    url = await miniflare.ready;
  } catch (error) {
    // Stop what did start, so a failed start leaves no workerd process behind.
    await miniflare?.dispose().catch(() => {});
    await target?.embedded?.dispose();
    throw new CliError(
      "ERR_START",
      `workerd did not start: ${error instanceof Error ? error.message : String(error)}. The lines above are workerd's own; fix what they name (often the Worker's code or a compatibility flag) and run again.`,
      1,
      { cause: error },
    );
  }
  const running = miniflare;

  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  const rewatch = () => {
    for (const watcher of watchers.splice(0)) watcher.close();
    for (const input of bundle.inputs) {
      watchers.push(
        watch(input, () => {
          clearTimeout(timer);
          timer = setTimeout(reload, RELOAD_DEBOUNCE_MS);
        }),
      );
    }
  };
  const reload = async () => {
    try {
      bundle = await bundleWorker(config.main, nodeCompat);
      // Keep the port workerd picked: 0 again would move the server under the user's feet.
      await running.setOptions(
        convertV4MiniflareOptions(
          miniflareOptions(config, bundle, target, { ...options, port: Number(url.port) }),
        ),
      );
      options.logger.info("Reloaded after a source change.");
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      options.logger.error(
        `${message}\nStill serving the last version that built; saving again reloads.`,
      );
    }
    rewatch();
  };
  rewatch();

  return {
    url,
    config,
    ...(target?.embedded === undefined ? {} : { embeddedRemote: target.embedded }),
    ...(target === undefined ? {} : { remoteUrl: target.url }),
    async dispose() {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
      await running.dispose();
      await target?.embedded?.dispose();
    },
  };
}
