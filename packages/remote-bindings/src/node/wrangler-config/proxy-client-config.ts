// The proxy-client Worker as a wrangler config, run beside the user's Worker
// (`wrangler dev -c <user> -c <this>`). It never holds a credential: its credential vars are
// declared empty, and wrangler fills them at start from the environment it runs in, through
// the `.env` file below (references, not values). No file holds a secret.
import type { ProxyClientWorker } from "../remote-binding-plan.js";
import { CREDENTIAL_BINDINGS, TOKEN_BROKER_BINDINGS } from "../../shared/wire-protocol.js";
import type { RawSection } from "./binding-sections.js";

/**
 * Where each credential var of the proxy client comes from: the variables
 * resolveAccessCredentials() reads. The proxy client prefers the service token when both kinds
 * are set, as resolveAccessCredentials() does.
 */
export const CREDENTIAL_SOURCES: Readonly<Record<string, string>> = {
  [CREDENTIAL_BINDINGS.CLIENT_ID]: "CLOUDFLARE_ACCESS_CLIENT_ID",
  [CREDENTIAL_BINDINGS.CLIENT_SECRET]: "CLOUDFLARE_ACCESS_CLIENT_SECRET",
  [CREDENTIAL_BINDINGS.USER_TOKEN]: "CLOUDFLARE_ACCESS_TOKEN",
};

/**
 * Every secret text binding of the proxy client, declared empty in its config: the credential
 * vars, and the loopback token broker's URL and key (token-broker.ts), which have no variable to
 * reference: the tool that starts the broker sets variables named exactly like them.
 */
export const PROXY_CLIENT_SECRET_VARS: readonly string[] = [
  ...Object.keys(CREDENTIAL_SOURCES),
  ...Object.values(TOKEN_BROKER_BINDINGS),
];

/**
 * The `.env` beside the proxy client's config. wrangler loads it for that Worker only and
 * expands `${NAME}` from its own process environment: a config with a `secrets` section makes
 * wrangler read process.env for that Worker alone, keeping only the names the Worker declares
 * (wrangler's dev-vars.ts). A variable of the process named exactly like a credential var wins
 * over the reference unexpanded, which is how `access-bridge dev` passes resolved credentials.
 */
export function proxyClientDotEnv(): string {
  return [
    "# Written by access-bridge. The proxy client's Access credentials, read from the environment",
    "# wrangler runs in: names of variables, never their values.",
    ...Object.entries(CREDENTIAL_SOURCES).map(([name, source]) => `${name}=\${${source}}`),
    "",
  ].join("\n");
}

function clientSection(client: ProxyClientWorker): RawSection {
  const classes = [...new Set(Object.values(client.durableObjects))];
  return {
    name: client.name,
    vars: {
      ...client.settings,
      ...Object.fromEntries(PROXY_CLIENT_SECRET_VARS.map((name) => [name, ""])),
    },
    secrets: { required: [] },
    durable_objects: {
      bindings: Object.entries(client.durableObjects).map(([name, className]) => ({
        name,
        class_name: className,
      })),
    },
    // The sessions live in memory; nothing is stored, so the older non-SQLite backend will do.
    exports: Object.fromEntries(
      classes.map((className) => [className, { type: "durable-object", storage: "legacy-kv" }]),
    ),
  };
}

/**
 * The proxy client's wrangler config. `environments` are the user config's `env` names: wrangler
 * applies `--env` to every config it runs and renames a Worker `<name>-<env>` unless the
 * environment names it, so each gets a section that keeps the name the user's bindings use.
 */
export function proxyClientWranglerConfig(
  client: ProxyClientWorker,
  environments: readonly string[],
): RawSection {
  const section = clientSection(client);
  return {
    ...section,
    main: client.main,
    // Already one ES module for workerd; bundling it again would only cost start-up time.
    no_bundle: true,
    compatibility_date: client.compatibilityDate,
    compatibility_flags: client.compatibilityFlags,
    ...(environments.length === 0
      ? {}
      : { env: Object.fromEntries(environments.map((name) => [name, clientSection(client)])) }),
  };
}
