// Which project a session runs, decided once for every tool that starts one (`access-bridge dev`,
// `access-bridge run`, getPlatformProxy()): the project's wrangler, the user's config as that
// wrangler reads it, the environment, the remote the carried bindings go to, and which they are.
import path from "node:path";
import { carriedBindingsByEnvironment, type CarriedBinding } from "@access-bridge/remote-bindings";
import { findProjectWrangler, type ProjectWrangler } from "./project-wrangler.js";
import { resolveRemoteUrl, type GivenRemoteUrl } from "./remote-url.js";
import { readUserConfig, type UserConfig } from "./user-config.js";

export interface ProjectQuery {
  cwd: string;
  /** The config path the user gave (`--config`, `configPath`), relative to `cwd`. */
  config: string | undefined;
  /** The environment the user gave (`--env`, `environment`); else CLOUDFLARE_ENV. */
  environment: string | undefined;
  remoteUrl: GivenRemoteUrl;
  /** Where CLOUDFLARE_ENV and ACCESS_BRIDGE_REMOTE_URL are read. */
  env: Record<string, string | undefined>;
  /** How the user gives a config path, for the messages (default `--config`). */
  configOption?: string;
}

export interface Project {
  wrangler: ProjectWrangler;
  config: UserConfig;
  /** The folder of the user's config: where relative paths, `.dev.vars` and state are. */
  dir: string;
  environment: string | undefined;
  /** Undefined: none was given, so the session runs an embedded remote. */
  remoteUrl: URL | undefined;
  /** The bindings marked `"remote": true` (or always remote), of every environment. */
  carried: CarriedBinding[];
}

export function resolveProject(query: ProjectQuery): Project {
  // The remote first: a mistyped URL is reported before wrangler is even looked for.
  const remoteUrl = resolveRemoteUrl(query.remoteUrl, query.env);
  const projectDir =
    query.config === undefined ? query.cwd : path.dirname(path.resolve(query.cwd, query.config));
  const wrangler = findProjectWrangler(projectDir);
  const environment = query.environment ?? query.env.CLOUDFLARE_ENV;
  const config = readUserConfig(wrangler, {
    cwd: query.cwd,
    config: query.config,
    env: environment,
    configOption: query.configOption,
  });
  const carried = carriedBindingsByEnvironment(config.raw, path.basename(config.path)).flatMap(
    (section) => section.carried,
  );
  return { wrangler, config, dir: path.dirname(config.path), environment, remoteUrl, carried };
}
