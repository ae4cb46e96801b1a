// What the stand-in's account holds, shared by its route families, and the options that shape it.
import { notFound } from "./api-envelope.js";

export interface StandInServiceToken {
  id: string;
  name: string;
  client_id: string;
  duration: string;
}

export interface StandInPolicy {
  id: string;
  name: string;
  decision: string;
  include: Record<string, unknown>[];
}

export interface StandInApp {
  id: string;
  name: string;
  /** Self-hosted applications only. */
  domain: string;
  /** Access for SaaS applications only; the secret is answered once, at creation. */
  saas_app?: {
    auth_type: string;
    client_id: string;
    client_secret: string;
    redirect_uris: string[];
    grant_types: string[];
    scopes: string[];
  };
  type: string;
  aud: string;
  session_duration: string;
  app_launcher_visible?: boolean;
  policies: { id: string; precedence: number }[];
}

export interface StandInScript {
  metadata: Record<string, unknown>;
  uploads: number;
  /** Secret names and values, as `wrangler secret put` or the secrets API set them. */
  secrets: Map<string, string>;
  workersDev: boolean;
  previews: boolean;
  /** The deployed version's id (each upload makes one, deployed at 100 %). */
  versionId: string;
}

export interface StandInOptions {
  accountId?: string;
  /** The token and its permissions, as the dashboard names them. */
  tokens?: Record<string, string[]>;
  /** The account's workers.dev subdomain; undefined: none registered yet. */
  subdomain?: string | undefined;
  /** The Zero Trust team domain (`<team>.cloudflareaccess.com`); undefined: Zero Trust not set up. */
  authDomain?: string | undefined;
  /** Where a new service token's credentials come from (the Access emulator, end to end). */
  issueServiceToken?: () => { clientId: string; clientSecret: string };
  /** A new application's audience tag (the Access emulator's, end to end). */
  audFor?: (domain: string) => string;
}

export interface AccountState {
  options: StandInOptions;
  accountId: string;
  /** `/accounts/<id>`, which most routes start with. */
  account: string;
  subdomain: string | undefined;
  authDomain: string | undefined;
  serviceTokens: StandInServiceToken[];
  policies: StandInPolicy[];
  apps: StandInApp[];
  kvNamespaces: { id: string; title: string }[];
  scripts: Map<string, StandInScript>;
}

export function accountState(options: StandInOptions): AccountState {
  const accountId = options.accountId ?? "0123456789abcdef0123456789abcdef";
  return {
    options,
    accountId,
    account: `/accounts/${accountId}`,
    subdomain: "subdomain" in options ? options.subdomain : "example-team",
    authDomain: "authDomain" in options ? options.authDomain : "example-team.cloudflareaccess.com",
    serviceTokens: [],
    policies: [],
    apps: [],
    kvNamespaces: [],
    scripts: new Map(),
  };
}

/** The Worker script of that name, or the API's 404 for it. */
export function scriptNamed(state: AccountState, name: string): StandInScript {
  const script = state.scripts.get(name);
  if (script === undefined) throw notFound(10007, "workers.api.error.script_not_found");
  return script;
}
