// The proxy server as a wrangler config, for `wrangler deploy`: exactly the bindings the user's
// config carries (in the section that is deployed: the top level, or one `env.<name>`), under
// the same names with the same ids, and the built proxy-server bundle as its script. wrangler
// does not inherit bindings into an environment, so the generated config is one flat section:
// the environment's own bindings, deployed as a Worker of its own.
import path from "node:path";
import { WORKERS_COMPATIBILITY_DATE } from "../compatibility-date.js";
import { RemoteBindingsError } from "../../shared/errors.js";
import { PROXY_SERVER_BUNDLE, PROXY_SERVER_OAUTH_BUNDLE } from "../worker-bundles.js";
import type { CarriedBinding, RawSection } from "./binding-sections.js";
import { carriedBindings } from "./binding-sections.js";

/** The proxy server's own settings (see proxy-server/verify-access-jwt.ts): no binding may use them. */
const RESERVED_PREFIXES = ["ACCESS_", "OAUTH_"];

/** A Worker's name on workers.dev is one DNS label. */
const MAX_WORKER_NAME = 63;

export interface ProxyServerConfigOptions {
  /** The user's config as wrangler parsed it (`experimental_readRawConfig(…).rawConfig`). */
  rawConfig: RawSection;
  /** For messages: the user's config file name. */
  where: string;
  /** The environment deployed (`--env`), or undefined for the top level. */
  environment: string | undefined;
  /** Absolute path of the folder the generated config is written to (its `main` is relative). */
  outDir: string;
  /** The Worker's name; default {@link defaultProxyServerName}. */
  name?: string;
  /** Plain-text vars of the proxy server, such as ACCESS_TEAM_DOMAIN and ACCESS_AUD. */
  vars?: Record<string, string>;
  /** The OAuth-mode bundle instead of the plain one. */
  oauth?: boolean;
  /** Bindings of the OAuth layer itself (OAUTH_KV, OAUTH_RATE_LIMITER), merged as sections. */
  extraSections?: RawSection;
}

export interface ProxyServerConfig {
  name: string;
  config: RawSection;
  carried: CarriedBinding[];
  /** The config as written: stable key order and formatting, so the same input gives the same bytes. */
  text: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `<the user's Worker>-access-bridge`, plus `-<env>` for an environment, cut to one DNS label. */
export function defaultProxyServerName(
  rawConfig: RawSection,
  environment: string | undefined,
): string {
  const envSection = environment === undefined ? undefined : sectionOf(rawConfig, environment);
  const userName =
    (typeof envSection?.name === "string" ? envSection.name : undefined) ??
    (typeof rawConfig.name === "string" ? rawConfig.name : "worker");
  const base = `${userName}-access-bridge`;
  const name =
    envSection?.name === undefined && environment !== undefined ? `${base}-${environment}` : base;
  return name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .slice(0, MAX_WORKER_NAME)
    .replace(/^-+|-+$/g, "");
}

function sectionOf(rawConfig: RawSection, environment: string): RawSection | undefined {
  const envs = isRecord(rawConfig.env) ? rawConfig.env : {};
  const section = envs[environment];
  return isRecord(section) ? section : undefined;
}

/** The entry as the proxy server declares it: as written, without `remote` (meaningless in a deploy). */
function declared(binding: CarriedBinding): Record<string, unknown> {
  const entry: Record<string, unknown> = { ...binding.declaration };
  delete entry.remote;
  return entry;
}

/** Objects with sorted keys, so that the JSON text depends on the content only. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys(value[key])]),
  );
}

function bundleSpecifier(outDir: string, oauth: boolean): string {
  const bundle = oauth ? PROXY_SERVER_OAUTH_BUNDLE : PROXY_SERVER_BUNDLE;
  return path.relative(outDir, bundle).split(path.sep).join("/");
}

/**
 * The proxy server's wrangler config for the carried bindings of one section of the user's
 * config. Throws ERR_INVALID_OPTION when the environment does not exist, nothing is carried, or a
 * carried binding takes a name the proxy server reserves.
 */
export function proxyServerWranglerConfig(options: ProxyServerConfigOptions): ProxyServerConfig {
  const { rawConfig, environment, where } = options;
  const section = environment === undefined ? rawConfig : sectionOf(rawConfig, environment);
  if (section === undefined) {
    throw new RemoteBindingsError(
      "ERR_INVALID_OPTION",
      `${where} has no environment "${environment}" (env.${environment}). Check --env, or add the environment to your config.`,
    );
  }
  const at = environment === undefined ? where : `${where} env.${environment}`;
  const carried = carriedBindings(section, at);
  if (carried.length === 0) {
    throw new RemoteBindingsError(
      "ERR_INVALID_OPTION",
      `${at} marks no binding "remote": true, so a proxy server would have nothing to serve. Add "remote": true to the bindings local dev should reach on Cloudflare${environment === undefined ? "" : " (in this environment: bindings are not inherited from the top level)"}.`,
    );
  }
  for (const binding of carried) {
    const prefix = RESERVED_PREFIXES.find((reserved) => binding.name.startsWith(reserved));
    if (prefix !== undefined) {
      throw new RemoteBindingsError(
        "ERR_INVALID_OPTION",
        `${at}: the remote binding "${binding.name}" starts with ${prefix}, which the proxy server keeps for its own settings. Rename the binding.`,
      );
    }
  }

  const name = options.name ?? defaultProxyServerName(rawConfig, environment);
  const accountId = section.account_id ?? rawConfig.account_id;
  const config: RawSection = {
    name,
    main: bundleSpecifier(options.outDir, options.oauth === true),
    compatibility_date: WORKERS_COMPATIBILITY_DATE,
    // The bundle is complete (built by esbuild with the workerd conditions): what wrangler
    // uploads is byte for byte what the tests run.
    no_bundle: true,
    workers_dev: true,
    // A preview URL would be a second host, which the Access application does not cover.
    preview_urls: false,
    ...(typeof accountId === "string" ? { account_id: accountId } : {}),
    ...(options.vars !== undefined && Object.keys(options.vars).length > 0
      ? { vars: options.vars }
      : {}),
  };
  if (options.oauth === true) {
    config.compatibility_flags = ["global_fetch_strictly_public"];
    config.observability = { enabled: false, logs: { enabled: false, invocation_logs: false } };
    config.logpush = false;
  }
  for (const binding of carried) addBinding(config, section, binding.section, declared(binding));
  for (const [key, value] of Object.entries(options.extraSections ?? {})) {
    config[key] = Array.isArray(value)
      ? [...(Array.isArray(config[key]) ? config[key] : []), ...value]
      : value;
  }
  const text = `${JSON.stringify(sortedKeys(config), null, 2)}\n`;
  return { name, config, carried, text };
}

/** The value at a dotted section key ("queues.producers"), or undefined. */
function sectionValue(section: RawSection, key: string): unknown {
  let value: unknown = section;
  for (const part of key.split(".")) value = isRecord(value) ? value[part] : undefined;
  return value;
}

/** Puts an entry back where wrangler reads it, in the shape the user wrote: an array or one object. */
function addBinding(
  config: RawSection,
  source: RawSection,
  key: string,
  entry: Record<string, unknown>,
): void {
  const [head, tail] = key.split(".") as [string, string | undefined];
  const parent: Record<string, unknown> =
    tail === undefined ? config : ((config[head] ??= {}) as Record<string, unknown>);
  const field = tail ?? head;
  if (Array.isArray(sectionValue(source, key))) {
    parent[field] = [...((parent[field] as unknown[] | undefined) ?? []), entry];
  } else {
    parent[field] = entry;
  }
}
