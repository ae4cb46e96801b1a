// From the user's wrangler config to the configs `wrangler dev -c … -c …` runs, written to a
// git-ignored folder beside the user's config.
import path from "node:path";
import {
  generatedDir,
  rememberedDefaultExport,
  writeWranglerConfigs,
  type GeneratedSubfolder,
  type WrittenConfigs,
  type UserConfig,
} from "@access-bridge/dev-session";
import {
  rewriteWranglerConfig,
  type AccessCredentials,
  type AccessCredentialSource,
  type CarriedBinding,
  type RewrittenConfigs,
} from "@access-bridge/remote-bindings";

export interface GeneratedConfigs extends WrittenConfigs {
  clientConfig: string;
  rewritten: RewrittenConfigs;
  outDir: string;
}

export function generateConfigs(options: {
  config: UserConfig;
  remoteUrl: URL;
  credentials?: AccessCredentials;
  /** Where `credentials` came from (or were looked for), for the proxy client's advice. */
  credentialSource: AccessCredentialSource;
  /** The session's proxy client (newProxyClientWorkerName of @access-bridge/dev-session). */
  clientWorkerName: string;
  /** The `--env` the user picked, so that its `.dev.vars.<env>` is linked even if undeclared. */
  env: string | undefined;
  /** `dev` writes in a subfolder of its own, so that it never rewrites wrangler-config's files. */
  subfolder?: GeneratedSubfolder;
}): GeneratedConfigs | undefined {
  const outDir = generatedDir(path.dirname(options.config.path), options.subfolder);
  const rewritten = rewriteWranglerConfig({
    rawConfig: options.config.raw,
    configPath: options.config.path,
    outDir,
    remoteUrl: options.remoteUrl,
    credentials: options.credentials,
    credentialSource: options.credentialSource,
    clientWorkerName: options.clientWorkerName,
    hasDefaultExport: rememberedDefaultExport(path.dirname(options.config.path)),
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
