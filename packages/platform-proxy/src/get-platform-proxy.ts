// wrangler's getPlatformProxy(), with the config's remote bindings reached through the
// access-bridge proxy client: the same signature and the same return shape, and the bindings
// keep their real API in Node. Under `access-bridge run` it joins the session run started (see
// attached-session.ts); called on its own (a script, a seeder, a test), it starts the proxy
// client itself and stops it in dispose().
import { rmSync } from "node:fs";
import path from "node:path";
import {
  newProxyClientWorkerName,
  resolveProject,
  resolveSessionCredentials,
} from "@access-bridge/dev-session";
import type { CarriedBinding, RewrittenConfigs } from "@access-bridge/remote-bindings";
import type { GetPlatformProxyOptions as WranglerOptions, PlatformProxy } from "wrangler";
import { attachedSession } from "./attached-session.js";
import { PlatformProxyError } from "./errors.js";
import { withFacades } from "./node-facades.js";
import { writePlatformConfig } from "./platform-config.js";
import {
  proxyClientEnvironment,
  startProxyClientProcess,
  type ProxyClientProcess,
} from "./proxy-client-process.js";

export type { PlatformProxy };

export interface GetPlatformProxyOptions extends WranglerOptions {
  /**
   * Your deployed proxy server, e.g. https://bindings-proxy.example.workers.dev. Default:
   * ACCESS_BRIDGE_REMOTE_URL. Not needed under `access-bridge run`, which passes its own.
   */
  remoteUrl?: string | URL;
}

/** The remote when not under `access-bridge run`: getPlatformProxy() starts no embedded one. */
function requiredRemoteUrl(remoteUrl: URL | undefined): URL {
  if (remoteUrl === undefined) {
    throw new PlatformProxyError(
      "ERR_INVALID_OPTION",
      "Your config has remote bindings, and getPlatformProxy() of @access-bridge/platform-proxy needs the proxy server they go to: pass { remoteUrl }, set ACCESS_BRIDGE_REMOTE_URL, or run under `access-bridge run -- <command>` (which starts an embedded remote when neither is set).",
    );
  }
  return remoteUrl;
}

/** The bindings carried in the environment wrangler will read (the top level's without one). */
export function carriedFor(
  rewritten: RewrittenConfigs,
  environment: string | undefined,
): CarriedBinding[] {
  const section = rewritten.sections.find((candidate) => candidate.environment === environment);
  return (section ?? rewritten.sections[0]!).carried;
}

export async function getPlatformProxy<
  Env = Record<string, unknown>,
  CfProperties extends Record<string, unknown> = Record<string, unknown>,
>(options: GetPlatformProxyOptions = {}): Promise<PlatformProxy<Env, CfProperties>> {
  const { remoteUrl: remoteUrlOption, ...wranglerOptions } = options;
  const project = resolveProject({
    cwd: process.cwd(),
    config: options.configPath,
    environment: options.environment,
    remoteUrl: { value: remoteUrlOption, source: "getPlatformProxy({ remoteUrl })" },
    env: process.env,
    configOption: "configPath",
  });
  const { wrangler, config: user } = project;
  const wranglerModule = wrangler.load();
  const attached = attachedSession();
  const clientWorkerName = attached?.clientWorkerName ?? newProxyClientWorkerName();
  const plainProxy = () => wranglerModule.getPlatformProxy<Env, CfProperties>(wranglerOptions);

  // Nothing to carry: wrangler's own, untouched.
  if (project.carried.length === 0) return plainProxy();

  const remoteUrl = attached ? new URL(attached.remoteUrl) : requiredRemoteUrl(project.remoteUrl);
  // On its own, the same resolution as every other entry point (the environment, then tokens
  // that `access-bridge login --access` stored); under run, run's proxy client holds them.
  const own = attached ? undefined : await resolveSessionCredentials(remoteUrl, process.env);
  const config = writePlatformConfig({
    user,
    remoteUrl,
    clientWorkerName,
    credentials: own?.credentials,
    credentialSource: attached ? attached.credentialSource : own!.source,
    environment: options.environment,
  });
  const rewritten = config.rewritten!;
  for (const warning of config.warnings) console.warn(`▲ ${warning}`);

  let client: ProxyClientProcess | undefined;
  const cleanUp = async () => {
    await client?.stop();
    // run's session folder is run's to remove, once every process of it is done.
    if (!attached && config.outDir !== undefined)
      rmSync(config.outDir, { recursive: true, force: true });
  };
  try {
    if (!attached) {
      client = await startProxyClientProcess({
        wrangler,
        clientConfig: config.clientConfig!,
        environment: options.environment,
        env: proxyClientEnvironment(process.env, rewritten.credentialVariables),
      });
    }
    const proxy = await wranglerModule.getPlatformProxy<Env, CfProperties>({
      ...wranglerOptions,
      configPath: config.configPath,
      // The generated config sits in .wrangler/access-bridge/…; local state stays where
      // wrangler keeps it for the user's config.
      persist:
        options.persist === false || typeof options.persist === "object"
          ? options.persist
          : { path: path.join(path.dirname(user.path), ".wrangler", "state", "v3") },
    });
    return {
      ...proxy,
      env: withFacades(
        proxy.env as Record<string, unknown>,
        carriedFor(rewritten, options.environment),
      ) as Env,
      dispose: async () => {
        try {
          await proxy.dispose();
        } finally {
          await cleanUp();
        }
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
