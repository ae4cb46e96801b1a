// wrangler's getPlatformProxy(), with the config's remote bindings reached through the
// access-bridge proxy client: the same signature and the same return shape, and the bindings
// keep their real API in Node. Under `access-bridge run` it joins the session run started (see
// attached-session.ts); called on its own (a script, a seeder, a test), it starts the proxy
// client itself and stops it in dispose().
import { rmSync } from "node:fs";
import path from "node:path";
import { newProxyClientWorkerName } from "@access-bridge/dev-session";
import {
  carriedBindingsByEnvironment,
  credentialsForUrl,
  PROXY_SERVER_URL_HINT,
  proxyServerUrl,
  resolveAccessCredentials,
  type CarriedBinding,
  type RewrittenConfigs,
} from "@access-bridge/remote-bindings";
import type { GetPlatformProxyOptions as WranglerOptions, PlatformProxy } from "wrangler";
import { attachedSession } from "./attached-session.js";
import { PlatformProxyError } from "./errors.js";
import { withFacades } from "./node-facades.js";
import { findUserConfig, writePlatformConfig } from "./platform-config.js";
import { projectWrangler, type ProjectWrangler } from "./project-wrangler.js";
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

export function findProjectWrangler(projectDir: string): ProjectWrangler {
  const found = projectWrangler(projectDir) ?? projectWrangler(import.meta.dirname);
  if (found === undefined) {
    throw new PlatformProxyError(
      "ERR_CONFIG",
      `wrangler is not installed where ${projectDir} can find it: npm install --save-dev wrangler@4`,
    );
  }
  return found;
}

function remoteUrlOf(option: string | URL | undefined): URL {
  const [value, source] =
    option !== undefined
      ? [String(option), "getPlatformProxy({ remoteUrl })"]
      : [process.env.ACCESS_BRIDGE_REMOTE_URL, "ACCESS_BRIDGE_REMOTE_URL"];
  if (value === undefined || value === "") {
    throw new PlatformProxyError(
      "ERR_INVALID_OPTION",
      "Your config has remote bindings, and getPlatformProxy() of @access-bridge/platform-proxy needs the proxy server they go to: pass { remoteUrl }, set ACCESS_BRIDGE_REMOTE_URL, or run under `access-bridge run -- <command>` (which starts an embedded remote when neither is set).",
    );
  }
  const url = proxyServerUrl(value);
  if (url === undefined) {
    throw new PlatformProxyError(
      "ERR_INVALID_OPTION",
      `${source} must be ${PROXY_SERVER_URL_HINT}; got ${JSON.stringify(value)}.`,
    );
  }
  return url;
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
  const cwd = process.cwd();
  const projectDir =
    options.configPath === undefined ? cwd : path.dirname(path.resolve(cwd, options.configPath));
  const wrangler = findProjectWrangler(projectDir);
  const wranglerModule = wrangler.load();
  const user = findUserConfig(wranglerModule, options.configPath, cwd);
  const attached = attachedSession();
  const clientWorkerName = attached?.clientWorkerName ?? newProxyClientWorkerName();
  const plainProxy = () => wranglerModule.getPlatformProxy<Env, CfProperties>(wranglerOptions);

  // Nothing to carry: wrangler's own, untouched.
  const sections = carriedBindingsByEnvironment(user.raw, path.basename(user.path));
  if (sections.every((section) => section.carried.length === 0)) return plainProxy();

  const remoteUrl = attached ? new URL(attached.remoteUrl) : remoteUrlOf(remoteUrlOption);
  const credentials = attached
    ? undefined
    : credentialsForUrl(resolveAccessCredentials(process.env), remoteUrl);
  const config = writePlatformConfig({
    user,
    remoteUrl,
    clientWorkerName,
    credentials,
    credentialSource: attached ? attached.credentialSource : "environment",
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
