// The config getPlatformProxy() reads instead of the user's: the same file, its remote bindings
// turned into service bindings (with props) to the proxy client of this session, which another
// process (`wrangler dev`) runs and the dev registry names. Written beside the user's config in
// `.wrangler/access-bridge/` (git-ignored), so relative paths and `.dev.vars` keep their meaning.
import path from "node:path";
import { writeWranglerConfigs } from "@access-bridge/dev-session";
import {
  rewriteWranglerConfig,
  type AccessCredentials,
  type AccessCredentialSource,
  type RewrittenConfigs,
} from "@access-bridge/remote-bindings";

export interface PlatformConfig {
  /** The user's config file. */
  userConfig: string;
  /** What getPlatformProxy() is given; the user's own when nothing is carried. */
  configPath: string;
  /** The proxy client's config; undefined when nothing is carried. */
  clientConfig: string | undefined;
  rewritten: RewrittenConfigs | undefined;
  /** The folder this session's files are in (removed when it ends). */
  outDir: string | undefined;
  warnings: string[];
}

/** The folder of one session's generated files, beside the user's config. */
export function platformOutDir(userConfig: string, clientWorkerName: string): string {
  return path.join(path.dirname(userConfig), ".wrangler", "access-bridge", clientWorkerName);
}

export function writePlatformConfig(options: {
  user: { path: string; raw: Record<string, unknown> };
  remoteUrl: URL;
  clientWorkerName: string;
  credentials?: AccessCredentials;
  /** Where `credentials` came from (or were looked for), for the proxy client's advice. */
  credentialSource?: AccessCredentialSource;
  environment?: string;
}): PlatformConfig {
  const { user } = options;
  const outDir = platformOutDir(user.path, options.clientWorkerName);
  const rewritten = rewriteWranglerConfig({
    rawConfig: user.raw,
    configPath: user.path,
    outDir,
    remoteUrl: options.remoteUrl,
    credentials: options.credentials,
    credentialSource: options.credentialSource,
    clientWorkerName: options.clientWorkerName,
    // getPlatformProxy() never runs `main`: the facades are put around the bindings in Node.
    wrapEntry: false,
  });
  if (rewritten.client === undefined) {
    return {
      userConfig: user.path,
      configPath: user.path,
      clientConfig: undefined,
      rewritten: undefined,
      outDir: undefined,
      warnings: [],
    };
  }
  const written = writeWranglerConfigs(rewritten, {
    outDir,
    projectDir: path.dirname(user.path),
    environments: options.environment === undefined ? [] : [options.environment],
  });
  return {
    userConfig: user.path,
    configPath: written.userConfig,
    clientConfig: written.clientConfig,
    rewritten,
    outDir,
    warnings: written.warnings,
  };
}
