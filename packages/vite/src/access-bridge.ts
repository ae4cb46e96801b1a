// accessBridge(cloudflare, options): the Cloudflare Vite plugin, with the app Worker's remote
// bindings reached through access-bridge in `vite dev`. cloudflare() takes data only (a config
// customizer, auxiliary Workers), but some of the work needs Vite hooks (see README, "Why this
// shape"), so this calls cloudflare() itself and adds one plugin of ours before its plugins.
import path from "node:path";
import type { PluginConfig } from "@cloudflare/vite-plugin";
import { normalizePath, type Plugin, type ResolvedConfig } from "vite";
import { DevSession, type AccessBridgeOptions } from "./dev-session.js";
import { wrapEntryExports } from "./entry-exports.js";
import { AccessBridgeViteError } from "./errors.js";
import type { Remote } from "./remote.js";
import {
  FACADES_MODULE,
  facadesModuleSource,
  isVirtualModule,
  PROXY_CLIENT_ENTRY,
  proxyClientEntrySource,
} from "./virtual-modules.js";

/** The `cloudflare` function of @cloudflare/vite-plugin. */
export type CloudflarePlugin = (config?: PluginConfig) => Plugin[];

const LOG_PREFIX = "[access-bridge]";

function cleanId(id: string): string {
  return id.replace(/[?#].*$/, "");
}

/** `vite build` and `vite preview` run exactly as the Cloudflare plugin alone would. */
const devOnly: Plugin["apply"] = (_config, env) =>
  env.command === "serve" && env.isPreview !== true;

function devPlugin(session: DevSession): Plugin {
  // Each dev server's remote, by its resolved config: Vite creates a server's replacement before
  // it closes the server, and closes every one of its environments, each calling closeBundle.
  const remotes = new Map<ResolvedConfig, Remote>();
  return {
    name: "access-bridge",
    enforce: "pre",
    apply: devOnly,
    config: {
      // Before the Cloudflare plugin's own `config` hook, which reads the options we fill in.
      order: "pre",
      async handler(userConfig, env) {
        const root = userConfig.root === undefined ? process.cwd() : path.resolve(userConfig.root);
        await session.start(root, env.mode);
      },
    },
    configResolved(config) {
      const { remote, carried } = session;
      if (remote === undefined) return;
      remotes.set(config, remote);
      if (carried.length === 0) return;
      for (const warning of remote.warnings) config.logger.warn(`${LOG_PREFIX} ${warning}`);
      const names = carried
        .map((binding) => binding.name)
        .sort()
        .join(", ");
      config.logger.info(`${LOG_PREFIX} Remote bindings (${names}) ${remote.description}`);
    },
    resolveId(id) {
      return isVirtualModule(id) ? `\0${id}` : undefined;
    },
    load(id) {
      if (id === `\0${PROXY_CLIENT_ENTRY}`) return proxyClientEntrySource();
      if (id === `\0${FACADES_MODULE}`) return facadesModuleSource(session.entry?.facades ?? {});
      return undefined;
    },
    async closeBundle() {
      const config = this.environment.getTopLevelConfig();
      const remote = remotes.get(config);
      remotes.delete(config);
      await remote?.release();
    },
  };
}

/**
 * Rewrites the app Worker's entry (entry-exports.ts) once TypeScript and JSX are compiled, and
 * before Vite's import analysis resolves the import of the facades module it adds.
 */
function facadesPlugin(session: DevSession): Plugin {
  const resolvedMains = new Map<string, string>();
  return {
    name: "access-bridge:facades",
    enforce: "post",
    apply: devOnly,
    async transform(code, id) {
      const entry = session.entry;
      if (entry === undefined || this.environment.config.consumer !== "server") return undefined;
      let main = resolvedMains.get(entry.main);
      if (main === undefined) {
        main = path.isAbsolute(entry.main)
          ? normalizePath(entry.main)
          : cleanId((await this.resolve(entry.main))?.id ?? entry.main);
        resolvedMains.set(entry.main, main);
      }
      if (cleanId(id) !== main) return undefined;
      return wrapEntryExports(code, id);
    },
  };
}

/**
 * The Cloudflare Vite plugin with remote bindings through Cloudflare Access:
 * `accessBridge(cloudflare, { …your cloudflare() options }, { remoteUrl })` in `plugins`,
 * where you had `cloudflare({ … })`.
 */
export function accessBridge(
  cloudflare: CloudflarePlugin,
  pluginConfig: PluginConfig = {},
  options: AccessBridgeOptions = {},
): Plugin[] {
  if (typeof cloudflare !== "function") {
    throw new AccessBridgeViteError(
      "ERR_INVALID_OPTION",
      'accessBridge(cloudflare, …) takes the `cloudflare` function of @cloudflare/vite-plugin first: import { cloudflare } from "@cloudflare/vite-plugin", then accessBridge(cloudflare, { …your cloudflare() options }).',
    );
  }
  if (typeof pluginConfig !== "object" || pluginConfig === null) {
    throw new AccessBridgeViteError(
      "ERR_INVALID_OPTION",
      "accessBridge(cloudflare, pluginConfig) takes the options you would give cloudflare() as its second argument (an object, or nothing).",
    );
  }
  const remoteUrl: unknown = options?.remoteUrl;
  if (remoteUrl !== undefined && typeof remoteUrl !== "string" && !(remoteUrl instanceof URL)) {
    throw new AccessBridgeViteError(
      "ERR_INVALID_OPTION",
      "accessBridge(…, …, { remoteUrl }) must be the URL of your deployed proxy server (a string or URL), or undefined to use ACCESS_BRIDGE_REMOTE_URL or the embedded remote.",
    );
  }
  const session = new DevSession(pluginConfig, options ?? {});
  return [devPlugin(session), ...cloudflare(session.pluginConfig), facadesPlugin(session)];
}
