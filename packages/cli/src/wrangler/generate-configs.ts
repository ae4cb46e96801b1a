// From the user's wrangler config to the configs `wrangler dev -c … -c …` runs, written to a
// git-ignored folder beside the user's config.
import path from "node:path";
import {
  rewriteWranglerConfig,
  writeWranglerConfigs,
  type AccessCredentials,
  type CarriedBinding,
  type RewrittenConfigs,
  type WrittenConfigs,
} from "@access-bridge/remote-bindings";
import type { UserConfig } from "./read-user-config.js";

/** `.wrangler/` is where wrangler keeps its own state, and projects already ignore it. */
export const GENERATED_DIR = path.join(".wrangler", "access-bridge");

export interface GeneratedConfigs extends WrittenConfigs {
  clientConfig: string;
  rewritten: RewrittenConfigs;
  outDir: string;
}

export function generatedDir(configPath: string): string {
  return path.join(path.dirname(configPath), GENERATED_DIR);
}

export function generateConfigs(options: {
  config: UserConfig;
  remoteUrl: URL;
  credentials?: AccessCredentials;
  /** The `--env` the user picked, so that its `.dev.vars.<env>` is linked even if undeclared. */
  env: string | undefined;
}): GeneratedConfigs | undefined {
  const outDir = generatedDir(options.config.path);
  const rewritten = rewriteWranglerConfig({
    rawConfig: options.config.raw,
    configPath: options.config.path,
    outDir,
    remoteUrl: options.remoteUrl,
    credentials: options.credentials,
  });
  if (rewritten.client === undefined) return undefined;
  const written = writeWranglerConfigs(rewritten, {
    outDir,
    projectDir: path.dirname(options.config.path),
    environments: options.env === undefined ? [] : [options.env],
  });
  return { ...written, clientConfig: written.clientConfig!, rewritten, outDir };
}

/** The bindings the selected environment carries (the top level's when none is selected). */
export function carriedIn(rewritten: RewrittenConfigs, env: string | undefined): CarriedBinding[] {
  const section =
    rewritten.sections.find((candidate) => candidate.environment === env) ?? rewritten.sections[0]!;
  return section.carried;
}
