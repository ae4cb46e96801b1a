// One dev server's access-bridge: decides, before the Cloudflare plugin reads its options, what
// to add to them (serve only), and keeps what the hooks of our Vite plugin need later.
import path from "node:path";
import { environmentProblem, sessionProxyClientWorkerName } from "@access-bridge/dev-session";
import {
  carriedBindingsByEnvironment,
  planRemoteBindings,
  type CarriedBinding,
  type RemoteBindingType,
} from "@access-bridge/remote-bindings";
import type { PluginConfig } from "@cloudflare/vite-plugin";
import { defu } from "defu";
import { loadEnv } from "vite";
import { AccessBridgeViteError } from "./errors.js";
import { proxyClientConfig, writeProxyClientConfig } from "./proxy-client-worker.js";
import { deployedRemote, embeddedRemote, remoteUrlOf, type Remote } from "./remote.js";
import { rewriteWorkerConfig, type WorkerConfigData } from "./rewrite-worker-config.js";
import { findWorkerConfigFile, readRawWorkerConfig } from "./worker-config-file.js";

export interface AccessBridgeOptions {
  /**
   * Your deployed proxy server, e.g. https://bindings-proxy.example.workers.dev. Default:
   * ACCESS_BRIDGE_REMOTE_URL (from the environment or the project's .env files); with neither,
   * an embedded remote on loopback behind an emulated Access.
   */
  remoteUrl?: string | URL;
}

/** Extensions after which the Cloudflare plugin reads `main` as a file path (its maybeResolveMain). */
const ENTRY_EXTENSIONS = [".js", ".mjs", ".ts", ".mts", ".jsx", ".tsx"];

export interface AppEntry {
  /** An absolute file path, or a specifier for Vite to resolve. */
  main: string;
  facades: Record<string, RemoteBindingType>;
}

export class DevSession {
  /** What cloudflare() is given: the user's options, to which `start()` adds ours. */
  readonly pluginConfig: PluginConfig;
  remote: Remote | undefined;
  /** The bindings carried, once the Cloudflare plugin has resolved the app Worker's config. */
  carried: CarriedBinding[] = [];
  entry: AppEntry | undefined;
  #configFile: string | undefined;
  /** The proxy client's name in wrangler's dev registry, the same across this server's restarts. */
  #clientWorkerName: string | undefined;

  constructor(
    private readonly user: PluginConfig,
    private readonly options: AccessBridgeOptions,
  ) {
    this.pluginConfig = { ...user };
  }

  /** Back to the user's options: a server given these plugins inline restarts with them. */
  #reset(): void {
    this.remote = undefined;
    this.entry = undefined;
    this.carried = [];
    for (const key of ["config", "auxiliaryWorkers"] as const) {
      if (key in this.user) this.pluginConfig[key] = this.user[key] as never;
      else delete this.pluginConfig[key];
    }
  }

  async start(root: string, mode: string): Promise<void> {
    this.#reset();
    // The same variables, from the same .env files, that the Cloudflare plugin reads.
    const env = loadEnv(mode, root, ["CLOUDFLARE_", "ACCESS_BRIDGE_"]);
    // Remote bindings off: the Cloudflare plugin simulates every binding locally.
    if (this.user.remoteBindings === false || env.CLOUDFLARE_VITE_FORCE_LOCAL === "true") return;
    if (this.user.experimental?.newConfig) {
      throw new AccessBridgeViteError(
        "ERR_UNSUPPORTED_CONFIG",
        "experimental.newConfig (cloudflare.config.ts) cannot be combined with access-bridge: the Cloudflare plugin then accepts neither a config() customizer nor auxiliary Workers. Use a wrangler config file.",
      );
    }
    // The same rules as `access-bridge dev`.
    const problem = environmentProblem({ ...process.env, ...env });
    if (problem !== undefined) throw new AccessBridgeViteError("ERR_UNSAFE_ENVIRONMENT", problem);

    const configFile = findWorkerConfigFile(
      root,
      this.user.configPath ?? env.CLOUDFLARE_VITE_WRANGLER_CONFIG_PATH,
    );
    if (configFile === undefined) return;
    const raw = await readRawWorkerConfig(configFile);
    const sections = carriedBindingsByEnvironment(raw, path.basename(configFile));
    const carried = [
      ...new Map(sections.flatMap((section) => section.carried).map((b) => [b.name, b])).values(),
    ];
    if (carried.length === 0) return;
    this.#configFile = configFile;

    const configDir = path.dirname(configFile);
    this.#clientWorkerName = sessionProxyClientWorkerName(configDir);
    const remoteUrl = remoteUrlOf(this.options.remoteUrl, env);
    this.remote =
      remoteUrl === undefined
        ? await embeddedRemote(carried, configDir)
        : await deployedRemote(remoteUrl, env);

    try {
      this.#addProxyClient(this.remote, carried, sections, env, configDir);
    } catch (error) {
      // Nothing will release the remote (and a deployed remote's token broker) but us.
      await this.remote.release();
      this.remote = undefined;
      throw error;
    }
  }

  #addProxyClient(
    remote: Remote,
    carried: CarriedBinding[],
    sections: ReturnType<typeof carriedBindingsByEnvironment>,
    env: Record<string, string>,
    configDir: string,
  ): void {
    const { client } = planRemoteBindings({
      remoteUrl: remote.url,
      // Not a secret: it goes into the config, for the proxy client's advice.
      credentialSource: remote.credentialSource,
      bindings: Object.fromEntries(
        carried.map((binding) => [binding.name, { type: binding.type }]),
      ),
      clientWorkerName: this.#clientWorkerName!,
    });
    const environments = [
      ...new Set([
        ...sections.flatMap((section) => section.environment ?? []),
        ...(env.CLOUDFLARE_ENV ? [env.CLOUDFLARE_ENV] : []),
      ]),
    ];
    const clientConfigFile = writeProxyClientConfig(
      configDir,
      proxyClientConfig(client, environments),
    );
    this.pluginConfig.config = (workerConfig) => {
      this.#customizeApp(workerConfig as unknown as WorkerConfigData);
    };
    this.pluginConfig.auxiliaryWorkers = [
      ...(this.user.auxiliaryWorkers ?? []),
      { configPath: clientConfigFile },
    ];
  }

  /** The user's own `config` first, merged as the Cloudflare plugin merges it; then ours. */
  #customizeApp(config: WorkerConfigData): void {
    const own = this.user.config;
    const result = typeof own === "function" ? own(config as never) : own;
    if (result) Object.assign(config, defu(result, config));
    const rewritten = rewriteWorkerConfig(config, {
      remoteUrl: this.remote!.url,
      clientWorkerName: this.#clientWorkerName!,
      where: path.basename(this.#configFile!),
    });
    if (rewritten === undefined) return;
    this.carried = rewritten.carried;
    const main = config.main;
    // The service bindings' facades only pipeline chains: they go in with the others, and alone
    // wherever an entry is named; the entry's exports are wrapped either way (entry-exports.ts).
    const facades = { ...rewritten.plan.pipelineFacades, ...rewritten.plan.facades };
    if (Object.keys(facades).length > 0 && typeof main === "string") {
      this.entry = {
        main: ENTRY_EXTENSIONS.some((extension) => main.endsWith(extension))
          ? path.resolve(path.dirname(this.#configFile!), main)
          : main,
        facades,
      };
    }
  }
}
