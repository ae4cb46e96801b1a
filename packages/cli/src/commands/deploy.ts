import path from "node:path";
import {
  CREDENTIAL_SOURCES,
  proxyServerOAuthScriptPath,
  proxyServerScriptPath,
  proxyServerWranglerConfig,
  type ProxyServerConfig,
  type RawSection,
} from "@access-bridge/remote-bindings";
import { clientIdHint } from "@access-bridge/conventions";
import {
  findProjectWrangler,
  generatedDir,
  ignoreInGit,
  readUserConfig,
  writeIfChanged,
  type ProjectWrangler,
} from "@access-bridge/dev-session";
import { CliError } from "../cli-error.js";
import {
  PERMISSIONS,
  resolveAccountId,
  workerExists,
  workersDevHostname,
} from "../deploy/account.js";
import { ensureAccessProtection, type AccessProtection } from "../deploy/access-setup.js";
import { apiToken, cloudflareApi, type CloudflareApi } from "../deploy/cloudflare-api.js";
import { ensureOAuthSetup, parseAllowList, type OAuthSetup } from "../deploy/oauth-setup.js";
import { secretsFile } from "../deploy/secrets-file.js";
import { deployFingerprint, lastDeployed, recordDeployed } from "../deploy/deploy-record.js";
import { deployedUrl, runWranglerDeploy } from "../deploy/run-wrangler-deploy.js";
import { logger } from "../logger.js";
import { parseCommandArgs } from "./parse-args.js";

const [CLIENT_ID_VARIABLE, CLIENT_SECRET_VARIABLE] = Object.values(CREDENTIAL_SOURCES) as [
  string,
  string,
];

const ACCESS_PERMISSIONS = [
  PERMISSIONS.WORKERS_WRITE,
  PERMISSIONS.ACCESS_APPS,
  PERMISSIONS.ACCESS_SERVICE_TOKENS,
  PERMISSIONS.ACCESS_ORGANIZATION,
];

const OAUTH_PERMISSIONS = [
  PERMISSIONS.WORKERS_WRITE,
  PERMISSIONS.ACCESS_APPS,
  PERMISSIONS.ACCESS_ORGANIZATION,
  PERMISSIONS.KV_WRITE,
];

export const DEPLOY_HELP = `Usage: access-bridge deploy [options]

Deploys the proxy server your local dev reaches: a Worker with exactly the bindings your
wrangler config marks "remote": true (and those wrangler always runs remotely, such as ai),
under the same names and ids, with your own wrangler (its login or API token and account).
The config it deploys is written to .wrangler/access-bridge/ beside yours (git-ignored).

Options:
  -c, --config <path>   your wrangler config (default: the one wrangler finds)
  -e, --env <name>      deploy the bindings of this environment (its own Worker)
  --name <worker>       the proxy server's name (default: <your Worker>-access-bridge[-<env>])
  --access              put Cloudflare Access in front of it first, through Cloudflare's API:
                        an Access application for its workers.dev host, a service token and a
                        Service Auth policy; prints the token once. Needs CLOUDFLARE_API_TOKEN
                        with ${ACCESS_PERMISSIONS.join(", ")}
  --oauth --allow <who> OAuth mode instead: each developer signs in as themselves (access-bridge
                        login --remote). Creates an Access for SaaS (OIDC) application for the
                        emails and email domains of --allow (comma-separated), its KV namespace,
                        and sets the Worker's secrets (never shown). Needs CLOUDFLARE_API_TOKEN
                        with ${OAUTH_PERMISSIONS.join(", ")}
  --dry-run             generate and check everything (wrangler deploy --dry-run); deploy and
                        change nothing
  --force               deploy even when the same config was deployed last time

Then: access-bridge dev --remote-url <the URL it prints>`;

interface DeployOptions {
  environment: string | undefined;
  dryRun: boolean;
  force: boolean;
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function sectionOf(raw: RawSection, environment: string | undefined): RawSection {
  const envs = raw.env as Record<string, RawSection> | undefined;
  return (environment === undefined ? undefined : envs?.[environment]) ?? raw;
}

async function protect(
  api: CloudflareApi,
  accountId: string,
  name: string,
  dryRun: boolean,
): Promise<{ hostname: string; access: AccessProtection }> {
  const hostname = await workersDevHostname(api, accountId, name);
  const access = await ensureAccessProtection({
    api,
    accountId,
    hostname,
    workerName: name,
    dryRun,
  });
  logger.info(`Cloudflare Access for ${hostname} (team ${access.teamDomain}):`);
  for (const line of access.report) logger.info(`  ${line}`);
  if (!access.changed) logger.info("  Access is already set up as it should be: nothing changed.");
  if (access.newServiceToken !== undefined) {
    // Printed here, before the deploy: Cloudflare shows a secret once, and a failed deploy
    // after this point must not lose it.
    logger.info(
      [
        "",
        "The service token's credentials, shown this once (access-bridge keeps no copy; put them",
        "in your shell profile or your team's secret store):",
        `  export ${CLIENT_ID_VARIABLE}=${access.newServiceToken.clientId}`,
        `  export ${CLIENT_SECRET_VARIABLE}=${access.newServiceToken.clientSecret}`,
        "",
      ].join("\n"),
    );
  }
  return { hostname, access };
}

async function setUpOAuth(
  api: CloudflareApi,
  accountId: string,
  name: string,
  allow: ReturnType<typeof parseAllowList>,
  dryRun: boolean,
): Promise<{ hostname: string; setup: OAuthSetup }> {
  const hostname = await workersDevHostname(api, accountId, name);
  const existing = await api.find<{ name: string }[]>({
    path: `/accounts/${accountId}/workers/scripts/${name}/secrets`,
    action: `list the secrets of the Worker ${name}`,
    permission: PERMISSIONS.WORKERS_READ,
  });
  const setup = await ensureOAuthSetup({
    api,
    accountId,
    hostname,
    workerName: name,
    allow,
    workerSecrets: new Set((existing ?? []).map((secret) => secret.name)),
    dryRun,
  });
  logger.info(`OAuth mode for ${hostname}:`);
  for (const line of setup.report) logger.info(`  ${line}`);
  if (!setup.changed)
    logger.info("  Everything is already set up as it should be: nothing changed.");
  return { hostname, setup };
}

/** One folder per deployed section, for its config and a dry run's output. */
function serverDir(outDir: string, environment: string | undefined): string {
  return path.join(
    outDir,
    environment === undefined
      ? "proxy-server"
      : `proxy-server.env-${environment.replace(/[^A-Za-z0-9_-]/g, "_")}`,
  );
}

function writeGenerated(outDir: string, dir: string, server: ProxyServerConfig): string {
  ignoreInGit(outDir);
  const file = path.join(dir, "wrangler.json");
  writeIfChanged(file, server.text);
  return file;
}

async function runDeploy(
  wrangler: ProjectWrangler,
  configFile: string,
  dir: string,
  options: DeployOptions,
  secrets: { file: string; env: Record<string, string> } | undefined,
): Promise<string> {
  const args = ["-c", configFile];
  if (options.dryRun) args.push("--dry-run", "--outdir", path.join(dir, "dist"));
  if (secrets !== undefined) args.push("--secrets-file", secrets.file);
  const result = await runWranglerDeploy(wrangler, args, {
    cwd: process.cwd(),
    env: { ...process.env, ...secrets?.env },
  });
  if (result.code !== 0) {
    throw new CliError(
      "ERR_DEPLOY",
      `wrangler deploy${options.dryRun ? " --dry-run" : ""} failed (exit code ${result.code}); its output above says why. Fix that and run access-bridge deploy again: what is already right stays as it is.`,
      result.code,
    );
  }
  return result.output;
}

export async function deployCommand(args: string[]): Promise<number> {
  const values = parseCommandArgs(
    args,
    {
      config: { type: "string", short: "c" },
      env: { type: "string", short: "e" },
      name: { type: "string" },
      access: { type: "boolean" },
      oauth: { type: "boolean" },
      allow: { type: "string" },
      "dry-run": { type: "boolean" },
      force: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    DEPLOY_HELP,
  );
  if (values.help) {
    process.stdout.write(`${DEPLOY_HELP}\n`);
    return 0;
  }
  if (values.oauth && values.access) {
    throw new CliError(
      "ERR_USAGE",
      `--access and --oauth are two ways in front of the proxy server: pick one (a service token, or each developer's own sign-in).\n\n${DEPLOY_HELP}`,
      2,
    );
  }
  if (values.oauth && values.allow === undefined) {
    throw new CliError(
      "ERR_USAGE",
      `--oauth needs --allow <emails and email domains>: who may sign in (the proxy server lets nobody in otherwise).\n\n${DEPLOY_HELP}`,
      2,
    );
  }
  const allow = values.allow === undefined ? undefined : parseAllowList(values.allow);
  if (values.name !== undefined && !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(values.name)) {
    throw new CliError(
      "ERR_USAGE",
      `--name must be a Worker name: lowercase letters, digits and dashes, at most 63, not starting or ending with a dash; got "${values.name}".\n\n${DEPLOY_HELP}`,
      2,
    );
  }
  const options: DeployOptions = {
    environment: values.env ?? process.env.CLOUDFLARE_ENV,
    dryRun: values["dry-run"] === true,
    force: values.force === true,
  };
  const cwd = process.cwd();
  const projectDir =
    values.config === undefined ? cwd : path.dirname(path.resolve(cwd, values.config));
  const wrangler = findProjectWrangler(projectDir);
  const config = readUserConfig(wrangler, {
    cwd,
    config: values.config,
    env: options.environment,
  });
  const outDir = generatedDir(path.dirname(config.path));
  const dir = serverDir(outDir, options.environment);
  const where = path.basename(config.path);
  const relative = (file: string) => path.relative(cwd, file) || ".";

  // Checked before any call to Cloudflare: a config with nothing to carry stops here.
  const plain = proxyServerWranglerConfig({
    rawConfig: config.raw,
    where,
    environment: options.environment,
    outDir: dir,
    name: values.name,
  });
  const name = plain.name;

  let api: CloudflareApi | undefined;
  let accountId: string | undefined;
  let protection: { hostname: string; access: AccessProtection } | undefined;
  let oauth: { hostname: string; setup: OAuthSetup } | undefined;
  if (values.access || values.oauth) {
    const token = apiToken(process.env);
    if (token === undefined) {
      const flag = values.access ? "--access" : "--oauth";
      const permissions = values.access ? ACCESS_PERMISSIONS : OAUTH_PERMISSIONS;
      throw new CliError(
        "ERR_DEPLOY",
        `${flag} sets up Cloudflare Access through Cloudflare's API, which needs an API token: create one at https://dash.cloudflare.com/profile/api-tokens with the account permissions ${permissions.map((permission) => `"${permission}"`).join(", ")}, and set CLOUDFLARE_API_TOKEN to it (wrangler uses the same token). Or deploy without ${flag} and set up Access in the dashboard.`,
      );
    }
    api = cloudflareApi(token, process.env);
    const section = sectionOf(config.raw, options.environment);
    accountId = await resolveAccountId(
      api,
      process.env,
      section.account_id ?? config.raw.account_id,
    );
    if (values.access) protection = await protect(api, accountId, name, options.dryRun);
    else oauth = await setUpOAuth(api, accountId, name, allow!, options.dryRun);
  }

  const vars: Record<string, string> =
    protection === undefined
      ? (oauth?.setup.vars ?? {})
      : {
          ACCESS_TEAM_DOMAIN: protection.access.teamDomain,
          // Only a dry run that would create the application lacks its audience tag.
          ACCESS_AUD: protection.access.aud ?? "<set when the Access application is created>",
        };
  const server = proxyServerWranglerConfig({
    rawConfig: config.raw,
    where,
    environment: options.environment,
    outDir: dir,
    name,
    vars,
    ...(oauth === undefined
      ? {}
      : {
          oauth: true,
          extraSections: {
            kv_namespaces: [
              {
                binding: "OAUTH_KV",
                // Only a dry run that would create the namespace lacks its id.
                id: oauth.setup.kvNamespaceId ?? "00000000000000000000000000000000",
              },
            ],
            // The OAuth layer's per-IP limit (see oauth.wrangler.jsonc).
            ratelimits: [
              {
                name: "OAUTH_RATE_LIMITER",
                namespace_id: "7001",
                simple: { limit: 60, period: 60 },
              },
            ],
          },
        }),
  });
  const file = writeGenerated(outDir, dir, server);
  const bindings = server.carried.map((binding) => binding.name).join(", ");
  logger.info(
    `Generated ${relative(file)}: the proxy server "${name}" with ${server.carried.length} remote binding${server.carried.length === 1 ? "" : "s"} (${bindings})${options.environment === undefined ? "" : ` of env.${options.environment}`}.`,
  );

  const fingerprint = deployFingerprint(
    server.text,
    oauth === undefined ? proxyServerScriptPath : proxyServerOAuthScriptPath,
  );
  const secrets = secretsFile(dir, oauth?.setup.secrets ?? {});
  let output = "";
  if (options.dryRun) {
    output = await runDeploy(wrangler, file, dir, options, undefined);
    logger.info(
      `Dry run: wrangler built the proxy server into ${relative(path.join(dir, "dist"))}/; nothing was deployed${values.access ? " and nothing changed in Access" : ""}.`,
    );
  } else {
    const unchanged =
      !options.force &&
      secrets === undefined &&
      lastDeployed(outDir, name) === fingerprint &&
      (api === undefined || (await workerExists(api, accountId!, name)));
    if (unchanged) {
      logger.info(
        `The proxy server "${name}" is deployed with this config and bundle already: nothing to deploy (--force deploys anyway).`,
      );
    } else {
      output = await runDeploy(wrangler, file, dir, options, secrets);
      recordDeployed(outDir, name, fingerprint);
    }
  }

  const hostname = protection?.hostname ?? oauth?.hostname;
  const url = hostname !== undefined ? `https://${hostname}` : deployedUrl(output, name);
  const next = [
    "access-bridge",
    "dev",
    "--remote-url",
    url ?? "<the workers.dev URL wrangler printed>",
  ];
  if (options.environment !== undefined) next.push("--env", options.environment);
  if (oauth !== undefined) {
    logger.info(
      `Each developer signs in as themselves (once a day): access-bridge login --remote ${url}`,
    );
  } else if (protection === undefined) {
    logger.warn(
      `Nothing puts Cloudflare Access in front of "${name}" unless you did: anyone who finds its URL can use your bindings. Run access-bridge deploy --access, or protect its workers.dev host in Zero Trust → Access.`,
    );
  } else if (
    protection.access.newServiceToken === undefined &&
    protection.access.serviceTokenClientId !== undefined
  ) {
    logger.info(
      `Use the service token "${name} (access-bridge)" (client id ${clientIdHint(protection.access.serviceTokenClientId)}): its secret was shown when it was created. For a new secret, rotate it in Zero Trust → Access → Service credentials.`,
    );
  }
  logger.info(
    `\n${options.dryRun ? "After a real deploy, run" : "Next"}:\n  ${next.map(shellWord).join(" ")}`,
  );
  return 0;
}
