// Writes a rewritten config where wrangler can run it: `<outDir>/wrangler.json` for the user's
// Worker, `<outDir>/proxy-client/` for the proxy client (config and its `.env` of references).
// wrangler looks for `.dev.vars` and `.env` files beside the config it is given, so links to the
// project's own files go beside the generated one: the user's Worker sees its secrets, read from
// where they are, and wrangler's precedence between them is unchanged.
import fs from "node:fs";
import path from "node:path";
import type { RewrittenConfigs } from "@access-bridge/remote-bindings";
import { ignoreInGit, writeIfChanged } from "./generated-files.js";
import { writeProxyClientFiles } from "./proxy-client-files.js";

export interface WrittenConfigs {
  /** The user's Worker: the first `-c` of `wrangler dev`. */
  userConfig: string;
  /** The proxy client, when something is carried: the second `-c`. */
  clientConfig: string | undefined;
  /** Problems that do not stop the run (a link the system refused). */
  warnings: string[];
}

/** The files wrangler dev reads beside a config, for the given `--env` names. */
export function devVarsFileNames(environments: readonly string[]): string[] {
  return [
    ".dev.vars",
    ".env",
    ".env.local",
    ...environments.flatMap((env) => [`.dev.vars.${env}`, `.env.${env}`, `.env.${env}.local`]),
  ];
}

function linkDevVars(outDir: string, projectDir: string, names: string[]): string[] {
  const warnings: string[] = [];
  for (const name of names) {
    const link = path.join(outDir, name);
    const target = path.relative(outDir, path.join(projectDir, name));
    try {
      if (fs.readlinkSync(link) === target) continue;
    } catch {
      // No link yet, or a file in its place.
    }
    fs.rmSync(link, { force: true });
    try {
      // A link to a file that does not exist yet is fine: wrangler treats it as missing, and it
      // works as soon as the file is created.
      fs.symlinkSync(target, link, "file");
    } catch (error) {
      warnings.push(
        `Could not link ${link} to your ${name} (${(error as NodeJS.ErrnoException).code ?? String(error)}), so your Worker will not see the values in ${name}. On Windows, enable Developer Mode to allow symbolic links.`,
      );
    }
  }
  return warnings;
}

export function writeWranglerConfigs(
  configs: RewrittenConfigs,
  options: {
    outDir: string;
    /** The folder of the user's config: where its `.dev.vars` and `.env` files are. */
    projectDir: string;
    /** `--env` names to link `.dev.vars.<env>` and `.env.<env>` for, besides the config's own. */
    environments?: readonly string[];
  },
): WrittenConfigs {
  const { outDir, projectDir } = options;
  ignoreInGit(outDir);
  for (const module of configs.modules) writeIfChanged(module.file, module.source);
  const userConfig = path.join(outDir, "wrangler.json");
  writeIfChanged(userConfig, `${JSON.stringify(configs.user, null, 2)}\n`);

  const clientConfig =
    configs.client === undefined ? undefined : writeProxyClientFiles(outDir, configs.client);
  const environments = [...new Set([...configs.environments, ...(options.environments ?? [])])];
  const warnings = linkDevVars(outDir, projectDir, devVarsFileNames(environments));
  return { userConfig, clientConfig, warnings };
}
