// A user's wrangler config, rewritten so that wrangler runs its remote bindings through
// access-bridge: each carried binding becomes a service binding (with props) to the proxy-client
// Worker, which runs beside the user's Worker; KV, R2 and D1 get their facade through an entry
// that wraps the user's. Every other field is kept as written, with its relative paths
// relocated to the folder the new config is written to. Tool-neutral: the result is plain
// config objects and module sources, which @access-bridge/dev-session writes to disk.
import { existsSync } from "node:fs";
import path from "node:path";
import type { RemoteBindingType } from "../../shared/binding-types.js";
import type { AccessCredentialSource } from "../../shared/advice.js";
import type { AccessCredentials } from "../../shared/credentials.js";
import type { RemoteBindingPlan } from "../remote-binding-plan.js";
import { invalidOption, parseRemoteUrl, planRemoteBindings } from "../remote-binding-plan.js";
import { facadeInstallerSource, hasDefaultExport, userEntrySource } from "../user-entry.js";
import { USER_FACADES_BUNDLE } from "../worker-bundles.js";
import type { CarriedBinding, RawSection } from "./binding-sections.js";
import { carriedBindingsByEnvironment, withoutCarried } from "./binding-sections.js";
import { proxyClientWranglerConfig } from "./proxy-client-config.js";
import { PathRelocator, relocateSectionPaths } from "./relocate-paths.js";

/** Whether an entry exists and is an ES module with a default export. */
function canTakeFacades(userMain: string, defaultExport: (file: string) => boolean): boolean {
  try {
    return existsSync(userMain) && defaultExport(userMain);
  } catch {
    // Not parseable here: wrangler will say why; the bindings stay plain.
    return false;
  }
}

export interface RewriteOptions {
  /** The user's config as wrangler parsed it (`experimental_readRawConfig(…).rawConfig`). */
  rawConfig: RawSection;
  /** Absolute path of the user's config file. */
  configPath: string;
  /** Absolute path of the folder the generated files go to. */
  outDir: string;
  /** The proxy server, e.g. https://bindings-proxy.example.workers.dev */
  remoteUrl: string | URL;
  /**
   * The credentials for this remote, already resolved. They never go into a generated file:
   * they come back as `credentialVariables`, for the environment wrangler is started with.
   */
  credentials?: AccessCredentials;
  /**
   * Where `credentials` came from (or were looked for). Not a secret: it goes into the proxy
   * client's config, for its advice. Omitted: generic advice.
   */
  credentialSource?: AccessCredentialSource;
  /** Default PROXY_CLIENT_WORKER_NAME. */
  clientWorkerName?: string;
  /**
   * Default true: KV, R2 and D1 get their facades through an entry that wraps the user's `main`.
   * false for a tool that never runs the entry and wraps the bindings itself (getPlatformProxy()
   * in Node, see @access-bridge/platform-proxy): `main` is then kept as written, or absent.
   */
  wrapEntry?: boolean;
  /**
   * Whether the module at this path has a default export. Default: esbuild reads it, each time;
   * a tool that starts often can remember the answer by the file's bytes (dev-session does).
   */
  hasDefaultExport?: (file: string) => boolean;
}

/** A module to write beside the generated config. */
export interface GeneratedModule {
  /** Absolute path. */
  file: string;
  source: string;
}

/** What one section (the top level, or one `env.<name>`) carries. */
export interface SectionSummary {
  /** undefined for the top level. */
  environment: string | undefined;
  carried: CarriedBinding[];
}

export interface RewrittenConfigs {
  /** The user's Worker. */
  user: RawSection;
  /** The proxy-client Worker; undefined when nothing is carried. */
  client: RawSection | undefined;
  modules: GeneratedModule[];
  sections: SectionSummary[];
  /** The config's `env` names. */
  environments: string[];
  /**
   * Variables to add to wrangler's environment so the proxy client sends `credentials` (see
   * proxy-client-config.ts). Secrets: never print them, never write them to a file.
   */
  credentialVariables: Record<string, string>;
  remoteUrl: URL;
}

/**
 * wrangler accepts only lowercase letters, digits and dashes in a Worker's name, so not the
 * default of planRemoteBindings (which holds the remote's host). One config has one remote.
 */
export const PROXY_CLIENT_WORKER_NAME = "access-bridge-proxy-client";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function specifier(fromDir: string, file: string): string {
  const relative = path.relative(fromDir, file).split(path.sep).join("/");
  return relative.startsWith(".") ? relative : `./${relative}`;
}

function fileSuffix(environment: string | undefined): string {
  return environment === undefined ? "" : `.env-${environment.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

interface SectionInput {
  environment: string | undefined;
  raw: RawSection;
}

class ConfigRewriter {
  readonly #relocator: PathRelocator;
  readonly #configDir: string;
  readonly #where: string;
  readonly #defaultExport: (file: string) => boolean;
  readonly modules: GeneratedModule[] = [];
  plan: RemoteBindingPlan | undefined;

  constructor(private readonly options: RewriteOptions) {
    this.#defaultExport = options.hasDefaultExport ?? ((file) => hasDefaultExport({ path: file }));
    this.#configDir = path.dirname(options.configPath);
    this.#relocator = new PathRelocator(this.#configDir, options.outDir);
    this.#where = path.basename(options.configPath);
  }

  /**
   * The section rewritten, and whether its entry is now the facade wrapper; `topMain` is the
   * user's entry the section inherits, if any.
   */
  section(
    input: SectionInput,
    carried: CarriedBinding[],
    topMain: unknown,
  ): { section: RawSection; wrapped: boolean } {
    const relocated = relocateSectionPaths(input.raw, this.#relocator);
    if (carried.length === 0) return { section: relocated, wrapped: false };
    const plan = planRemoteBindings({
      remoteUrl: this.options.remoteUrl,
      bindings: Object.fromEntries(
        carried.map((binding) => [binding.name, { type: binding.type }]),
      ),
      credentials: this.options.credentials,
      credentialSource: this.options.credentialSource,
      clientWorkerName: this.options.clientWorkerName ?? PROXY_CLIENT_WORKER_NAME,
      optionsName: this.#where,
    });
    this.plan ??= plan;
    const result = withoutCarried(relocated);
    result.services = [
      ...(Array.isArray(result.services) ? result.services : []),
      ...Object.entries(plan.serviceBindings).map(([binding, { service, props }]) => ({
        binding,
        service,
        props,
      })),
    ];
    const facades = this.#facadesFor(plan, input.raw.main ?? topMain);
    const wrapped = this.options.wrapEntry !== false && Object.keys(facades).length > 0;
    if (wrapped) this.#wrapEntry(result, input, facades, input.raw.main ?? topMain);
    return { section: result, wrapped };
  }

  /**
   * The required facades, and the service bindings' (which only pipeline chains) where the entry
   * can take them: an ES module with a default export. A service-worker script, or a config
   * without `main`, keeps its plain service bindings.
   */
  #facadesFor(plan: RemoteBindingPlan, main: unknown): Record<string, RemoteBindingType> {
    if (Object.keys(plan.facades).length > 0) return { ...plan.pipelineFacades, ...plan.facades };
    if (Object.keys(plan.pipelineFacades).length === 0 || typeof main !== "string") return {};
    const userMain = path.resolve(this.#configDir, main);
    return canTakeFacades(userMain, this.#defaultExport) ? plan.pipelineFacades : {};
  }

  /** Points the section's `main` at an entry that installs the facades, then re-exports the user's. */
  #wrapEntry(
    section: RawSection,
    { environment }: SectionInput,
    facades: Record<string, RemoteBindingType>,
    main: unknown,
  ): void {
    if (typeof main !== "string") {
      throw invalidOption(
        this.#where,
        environment === undefined ? "main" : `env.${environment}.main`,
        `must name your Worker's entry: its remote KV, R2, D1 and Workers AI bindings (${Object.keys(facades).join(", ")}) need an entry module that access-bridge can wrap.`,
      );
    }
    const userMain = path.resolve(this.#configDir, main);
    const { outDir } = this.options;
    const suffix = fileSuffix(environment);
    const installer = path.join(outDir, `facades${suffix}.mjs`);
    const entry = path.join(outDir, `entry${suffix}.mjs`);
    this.modules.push(
      {
        file: installer,
        source: facadeInstallerSource(facades, specifier(outDir, USER_FACADES_BUNDLE)),
      },
      {
        file: entry,
        source: userEntrySource({
          installerModule: specifier(outDir, installer),
          userModule: specifier(outDir, userMain),
          hasDefaultExport: this.#defaultExport(userMain),
        }),
      },
    );
    section.main = specifier(outDir, entry);
    this.#keepModuleRoot(section, userMain);
  }

  /**
   * Module rules and `find_additional_modules` work from `base_dir`, which defaults to the
   * folder of `main`; with `main` moved to the wrapper, say explicitly where the user's is.
   */
  #keepModuleRoot(section: RawSection, userMain: string): void {
    if (typeof section.base_dir === "string") return;
    const inherited = this.options.rawConfig.base_dir;
    section.base_dir =
      typeof inherited === "string"
        ? this.#relocator.path(inherited)
        : specifier(this.options.outDir, path.dirname(userMain));
  }

  /** An environment that inherits the top level's `main` gets the user's own, not its wrapper. */
  unwrapInherited(section: RawSection, topMain: unknown): void {
    if (section.main !== undefined || typeof topMain !== "string") return;
    const userMain = path.resolve(this.#configDir, topMain);
    section.main = this.#relocator.path(topMain);
    this.#keepModuleRoot(section, userMain);
  }
}

export function rewriteWranglerConfig(options: RewriteOptions): RewrittenConfigs {
  const { rawConfig } = options;
  const rewriter = new ConfigRewriter(options);
  const envs = isRecord(rawConfig.env) ? rawConfig.env : {};
  const environments = Object.keys(envs);
  const inputs: SectionInput[] = [
    { environment: undefined, raw: rawConfig },
    ...environments.flatMap((environment) => {
      const raw = envs[environment];
      return isRecord(raw) ? [{ environment, raw }] : [];
    }),
  ];
  const sections: SectionSummary[] = carriedBindingsByEnvironment(
    rawConfig,
    path.basename(options.configPath),
  );

  const top = { ...rawConfig };
  delete top.env;
  const topCarried = sections[0]!.carried;
  const { section: user, wrapped: topWrapped } = rewriter.section(
    { environment: undefined, raw: top },
    topCarried,
    undefined,
  );
  if (environments.length > 0) {
    const rewrittenEnvs: Record<string, unknown> = { ...envs };
    inputs.slice(1).forEach((input, index) => {
      const { section, wrapped } = rewriter.section(
        input,
        sections[index + 1]!.carried,
        rawConfig.main,
      );
      if (topWrapped && !wrapped) rewriter.unwrapInherited(section, rawConfig.main);
      rewrittenEnvs[input.environment!] = section;
    });
    user.env = rewrittenEnvs;
  }

  const plan = rewriter.plan;
  return {
    user,
    client: plan === undefined ? undefined : proxyClientWranglerConfig(plan.client, environments),
    modules: rewriter.modules,
    sections,
    environments,
    credentialVariables: plan?.client.vars ?? {},
    remoteUrl:
      plan?.remoteUrl ?? parseRemoteUrl(options.remoteUrl, path.basename(options.configPath)),
  };
}
