// OAuth mode's side of Cloudflare (see remote-bindings' src/workers/oauth/README.md, "Deploying
// it"), through Cloudflare's API: a reusable Allow policy of who may sign in, an Access for SaaS
// application with the OIDC protocol whose redirect URL is the Worker's /oauth/callback, and the
// KV namespace of the OAuth layer. Found by name and created only when missing, as for --access.
// The application's client secret exists once, in the answer that creates it: it goes to the
// Worker as a secret (through wrangler, see secrets-file.ts), never to the terminal or a file.
// Reference pages:
// - https://developers.cloudflare.com/api/resources/zero_trust/subresources/access/subresources/applications/methods/create/ (type "saas", saas_app OIDC)
// - https://developers.cloudflare.com/api/resources/kv/subresources/namespaces/methods/create/
import { randomBytes } from "node:crypto";
import { CliError } from "../cli-error.js";
import { PERMISSIONS } from "./account.js";
import { teamDomain } from "./access-setup.js";
import type { CloudflareApi } from "./cloudflare-api.js";

export interface AllowList {
  emails: string[];
  domains: string[];
}

export interface OAuthSetup {
  vars: Record<string, string>;
  kvNamespaceId: string | undefined;
  /** Secrets to set on the Worker with this deploy (names to values); never printed. */
  secrets: Record<string, string>;
  report: string[];
  changed: boolean;
}

interface Policy {
  id: string;
  name: string;
  decision: string;
  include?: Record<string, { email?: string; domain?: string }>[];
}

interface SaasApp {
  id: string;
  name: string;
  type: string;
  saas_app?: { client_id?: string; client_secret?: string; redirect_uris?: string[] };
}

/** `ada@example.com, example.org` → emails and whole domains (a leading @ is allowed). */
export function parseAllowList(value: string): AllowList {
  const emails: string[] = [];
  const domains: string[] = [];
  for (const entry of value.split(/[\s,]+/).filter(Boolean)) {
    const lower = entry.toLowerCase();
    if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(lower)) emails.push(lower);
    else if (/^@?[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(lower)) domains.push(lower.replace(/^@/, ""));
    else {
      throw new CliError(
        "ERR_USAGE",
        `--allow takes emails (ada@example.com) and whole email domains (example.com), comma-separated; "${entry}" is neither.`,
        2,
      );
    }
  }
  return { emails: [...new Set(emails)].sort(), domains: [...new Set(domains)].sort() };
}

export const USER_ID_KEY_SECRET = "OAUTH_USER_ID_KEY";
export const CLIENT_SECRET_SECRET = "OAUTH_ACCESS_CLIENT_SECRET";

function sameRules(policy: Policy, include: Policy["include"]): boolean {
  return JSON.stringify(policy.include ?? []) === JSON.stringify(include);
}

export async function ensureOAuthSetup(options: {
  api: CloudflareApi;
  accountId: string;
  hostname: string;
  workerName: string;
  allow: AllowList;
  /** Secret names the deployed Worker has already (empty when it is not deployed). */
  workerSecrets: ReadonlySet<string>;
  dryRun: boolean;
}): Promise<OAuthSetup> {
  const { api, accountId, hostname, workerName, allow, dryRun } = options;
  const base = `/accounts/${accountId}`;
  const report: string[] = [];
  const secrets: Record<string, string> = {};
  let changed = false;
  const act = (done: string, planned: string) => {
    report.push(dryRun ? `would ${planned}` : done);
    changed = true;
  };
  const domain = await teamDomain(api, accountId);

  const policyName = `${workerName}: who may sign in (access-bridge)`;
  const include = [
    ...allow.emails.map((email) => ({ email: { email } })),
    ...allow.domains.map((emailDomain) => ({ email_domain: { domain: emailDomain } })),
  ];
  const policies = await api.list<Policy>({
    path: `${base}/access/policies`,
    action: "list the account's reusable Access policies",
    permission: PERMISSIONS.ACCESS_APPS,
  });
  let policy = policies.find((candidate) => candidate.name === policyName);
  const policyBody = { name: policyName, decision: "allow", include };
  if (policy === undefined) {
    act(`created the policy "${policyName}"`, `create the policy "${policyName}"`);
    if (!dryRun) {
      policy = await api.request<Policy>({
        method: "POST",
        path: `${base}/access/policies`,
        body: policyBody,
        action: `create the Access policy "${policyName}"`,
        permission: PERMISSIONS.ACCESS_APPS,
      });
    }
  } else if (policy.decision !== "allow" || !sameRules(policy, include)) {
    act(`updated the policy "${policyName}" to the --allow list`, `update "${policyName}"`);
    if (!dryRun) {
      policy = await api.request<Policy>({
        method: "PUT",
        path: `${base}/access/policies/${policy.id}`,
        body: policyBody,
        action: `update the Access policy "${policyName}"`,
        permission: PERMISSIONS.ACCESS_APPS,
      });
    }
  } else {
    report.push(`unchanged: the policy "${policyName}"`);
  }

  const appName = `${workerName} sign-in (access-bridge)`;
  const redirect = `https://${hostname}/oauth/callback`;
  const apps = await api.list<SaasApp>({
    path: `${base}/access/apps`,
    action: "list the account's Access applications",
    permission: PERMISSIONS.ACCESS_APPS,
  });
  let app = apps.find((candidate) => candidate.name === appName && candidate.type === "saas");
  if (app === undefined) {
    act(
      `created the Access for SaaS (OIDC) application "${appName}"`,
      `create the Access for SaaS (OIDC) application "${appName}"`,
    );
    if (!dryRun) {
      app = await api.request<SaasApp>({
        method: "POST",
        path: `${base}/access/apps`,
        body: {
          name: appName,
          type: "saas",
          app_launcher_visible: false,
          policies: [{ id: policy!.id, precedence: 1 }],
          saas_app: {
            auth_type: "oidc",
            redirect_uris: [redirect],
            grant_types: ["authorization_code_with_pkce"],
            scopes: ["openid", "email", "profile"],
          },
        },
        action: `create the Access for SaaS application "${appName}"`,
        permission: PERMISSIONS.ACCESS_APPS,
      });
      secrets[CLIENT_SECRET_SECRET] = app.saas_app!.client_secret!;
    }
  } else {
    report.push(`unchanged: the Access for SaaS application "${appName}"`);
    if (!options.workerSecrets.has(CLIENT_SECRET_SECRET)) {
      throw new CliError(
        "ERR_DEPLOY",
        `The Access for SaaS application "${appName}" exists, but the Worker ${workerName} does not have its client secret, which Cloudflare shows only when the application is created. Delete the application in Zero Trust → Access → Applications and run again (access-bridge creates a new one), or generate a new client secret there and set it with: npx wrangler secret put ${CLIENT_SECRET_SECRET} --name ${workerName}`,
      );
    }
  }
  if (!options.workerSecrets.has(USER_ID_KEY_SECRET)) {
    // Keys the hash that stands for a user in the grant store: made once, never shown. Changing
    // it would orphan every grant, so a Worker that has one keeps it.
    secrets[USER_ID_KEY_SECRET] = randomBytes(32).toString("base64url");
    report.push(dryRun ? "would set a new OAUTH_USER_ID_KEY" : "new OAUTH_USER_ID_KEY (secret)");
    changed = true;
  }

  const kvTitle = `${workerName}-oauth`;
  const namespaces = await api.list<{ id: string; title: string }>({
    path: `${base}/storage/kv/namespaces`,
    action: "list the account's KV namespaces",
    permission: PERMISSIONS.KV_WRITE,
  });
  let namespace = namespaces.find((candidate) => candidate.title === kvTitle);
  if (namespace === undefined) {
    act(`created the KV namespace "${kvTitle}"`, `create the KV namespace "${kvTitle}"`);
    if (!dryRun) {
      namespace = await api.request<{ id: string; title: string }>({
        method: "POST",
        path: `${base}/storage/kv/namespaces`,
        body: { title: kvTitle },
        action: `create the KV namespace "${kvTitle}"`,
        permission: PERMISSIONS.KV_WRITE,
      });
    }
  } else {
    report.push(`unchanged: the KV namespace "${kvTitle}"`);
  }

  const clientId = app?.saas_app?.client_id;
  return {
    vars: {
      OAUTH_ACCESS_ISSUER:
        clientId === undefined
          ? `${domain}/cdn-cgi/access/sso/oidc/<client id, known once the application is created>`
          : `${domain}/cdn-cgi/access/sso/oidc/${clientId}`,
      OAUTH_ACCESS_CLIENT_ID: clientId ?? "<client id, known once the application is created>",
      OAUTH_ALLOWED_EMAILS: allow.emails.join(","),
      OAUTH_ALLOWED_EMAIL_DOMAINS: allow.domains.join(","),
    },
    kvNamespaceId: namespace?.id,
    secrets,
    report,
    changed,
  };
}
