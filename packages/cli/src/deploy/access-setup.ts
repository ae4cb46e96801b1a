// Cloudflare Access in front of the proxy server, through Cloudflare's API: a service token, a
// reusable Service Auth policy that includes it, and a self-hosted Access application for the
// Worker's workers.dev host that uses the policy. Each is found by its name (or, for the
// application, its host) and created only when missing, or corrected when it is not what it
// should be, so that a second run changes nothing and says so. Reference pages:
// - https://developers.cloudflare.com/api/resources/zero_trust/subresources/organizations/methods/list/
// - https://developers.cloudflare.com/api/resources/zero_trust/subresources/access/subresources/service_tokens/methods/create/
// - https://developers.cloudflare.com/api/resources/zero_trust/subresources/access/subresources/policies/methods/create/
// - https://developers.cloudflare.com/api/resources/zero_trust/subresources/access/subresources/applications/methods/create/
import { PERMISSIONS } from "./account.js";
import type { CloudflareApi } from "./cloudflare-api.js";

export interface ServiceTokenCredentials {
  clientId: string;
  /** Shown once by Cloudflare, at creation: printed once, never stored. */
  clientSecret: string;
}

export interface AccessProtection {
  /** `https://<team>.cloudflareaccess.com`: the proxy server's ACCESS_TEAM_DOMAIN. */
  teamDomain: string;
  /** The application's audience tag (ACCESS_AUD); undefined in a dry run that would create it. */
  aud: string | undefined;
  /** Only when the token was created by this run. */
  newServiceToken: ServiceTokenCredentials | undefined;
  serviceTokenClientId: string | undefined;
  /** One line per object: created, corrected, unchanged, or (dry run) what would happen. */
  report: string[];
  changed: boolean;
}

interface ServiceToken {
  id: string;
  name: string;
  client_id: string;
  client_secret?: string;
}

interface Rule {
  service_token?: { token_id?: string };
}

interface Policy {
  id: string;
  name: string;
  decision: string;
  include?: Rule[];
}

interface Application {
  id: string;
  name: string;
  domain: string;
  type: string;
  aud: string;
  session_duration?: string;
  policies?: (string | { id: string; precedence?: number })[];
}

export const SERVICE_TOKEN_DURATION = "8760h";

export function accessNames(workerName: string): { token: string; policy: string } {
  return {
    token: `${workerName} (access-bridge)`,
    policy: `${workerName}: service token (access-bridge)`,
  };
}

export async function teamDomain(api: CloudflareApi, accountId: string): Promise<string> {
  const organization = await api.request<{ auth_domain: string }>({
    method: "GET",
    path: `/accounts/${accountId}/access/organizations`,
    action: "read your Zero Trust organization (its team domain)",
    permission: PERMISSIONS.ACCESS_ORGANIZATION,
    notFound:
      "Zero Trust is not set up on this account, so there is no Access to put in front of the proxy server. Open Zero Trust in the Cloudflare dashboard once and choose a team name (the free plan is enough), then run again.",
  });
  return `https://${organization.auth_domain.replace(/^https?:\/\//, "").replace(/\/+$/, "")}`;
}

function policyIds(app: Application): string[] {
  return (app.policies ?? []).map((policy) => (typeof policy === "string" ? policy : policy.id));
}

function includesToken(policy: Policy, tokenId: string): boolean {
  return (policy.include ?? []).some((rule) => rule.service_token?.token_id === tokenId);
}

export async function ensureAccessProtection(options: {
  api: CloudflareApi;
  accountId: string;
  hostname: string;
  workerName: string;
  dryRun: boolean;
}): Promise<AccessProtection> {
  const { api, accountId, hostname, workerName, dryRun } = options;
  const base = `/accounts/${accountId}/access`;
  const names = accessNames(workerName);
  const report: string[] = [];
  let changed = false;
  const act = (line: string) => {
    report.push(dryRun ? `would ${line}` : line.replace(/^(\w+)/, (verb) => PAST[verb] ?? verb));
    changed = true;
  };

  const domain = await teamDomain(api, accountId);

  const tokens = await api.list<ServiceToken>({
    path: `${base}/service_tokens`,
    action: "list the account's Access service tokens",
    permission: PERMISSIONS.ACCESS_SERVICE_TOKENS,
  });
  let token = tokens.find((candidate) => candidate.name === names.token);
  let newServiceToken: ServiceTokenCredentials | undefined;
  if (token === undefined) {
    act(`create the service token "${names.token}"`);
    if (!dryRun) {
      token = await api.request<ServiceToken>({
        method: "POST",
        path: `${base}/service_tokens`,
        body: { name: names.token, duration: SERVICE_TOKEN_DURATION },
        action: `create the Access service token "${names.token}"`,
        permission: PERMISSIONS.ACCESS_SERVICE_TOKENS,
      });
      newServiceToken = { clientId: token.client_id, clientSecret: token.client_secret! };
    }
  } else {
    report.push(`unchanged: the service token "${names.token}"`);
  }

  const policies = await api.list<Policy>({
    path: `${base}/policies`,
    action: "list the account's reusable Access policies",
    permission: PERMISSIONS.ACCESS_APPS,
  });
  let policy = policies.find((candidate) => candidate.name === names.policy);
  const policyBody = (tokenId: string) => ({
    name: names.policy,
    decision: "non_identity",
    include: [{ service_token: { token_id: tokenId } }],
  });
  if (policy === undefined) {
    act(`create the Service Auth policy "${names.policy}"`);
    if (!dryRun) {
      policy = await api.request<Policy>({
        method: "POST",
        path: `${base}/policies`,
        body: policyBody(token!.id),
        action: `create the Access policy "${names.policy}"`,
        permission: PERMISSIONS.ACCESS_APPS,
      });
    }
  } else if (
    token === undefined ||
    policy.decision !== "non_identity" ||
    !includesToken(policy, token.id)
  ) {
    act(`correct the policy "${names.policy}" (Service Auth, including the service token)`);
    if (!dryRun) {
      policy = await api.request<Policy>({
        method: "PUT",
        path: `${base}/policies/${policy.id}`,
        body: policyBody(token!.id),
        action: `update the Access policy "${names.policy}"`,
        permission: PERMISSIONS.ACCESS_APPS,
      });
    }
  } else {
    report.push(`unchanged: the Service Auth policy "${names.policy}"`);
  }

  const apps = await api.list<Application>({
    path: `${base}/apps`,
    action: "list the account's Access applications",
    permission: PERMISSIONS.ACCESS_APPS,
  });
  let app = apps.find((candidate) => candidate.domain.replace(/\/+$/, "") === hostname);
  if (app === undefined) {
    act(`create the Access application for ${hostname}`);
    if (!dryRun) {
      app = await api.request<Application>({
        method: "POST",
        path: `${base}/apps`,
        body: {
          name: workerName,
          domain: hostname,
          type: "self_hosted",
          session_duration: "24h",
          app_launcher_visible: false,
          policies: [{ id: policy!.id, precedence: 1 }],
        },
        action: `create the Access application for ${hostname}`,
        permission: PERMISSIONS.ACCESS_APPS,
      });
    }
  } else if (policy === undefined || !policyIds(app).includes(policy.id)) {
    act(`add the policy "${names.policy}" to the Access application for ${hostname}`);
    if (!dryRun) {
      // The update replaces the application: every field it has is sent back, its other
      // policies (people who sign in) kept, ours added last.
      const kept = (app.policies ?? []).map((entry, index) =>
        typeof entry === "string"
          ? { id: entry, precedence: index + 1 }
          : { id: entry.id, precedence: entry.precedence ?? index + 1 },
      );
      app = await api.request<Application>({
        method: "PUT",
        path: `${base}/apps/${app.id}`,
        body: {
          name: app.name,
          domain: app.domain,
          type: app.type,
          session_duration: app.session_duration ?? "24h",
          policies: [...kept, { id: policy!.id, precedence: kept.length + 1 }],
        },
        action: `update the Access application for ${hostname}`,
        permission: PERMISSIONS.ACCESS_APPS,
      });
    }
  } else {
    report.push(`unchanged: the Access application for ${hostname}`);
  }

  return {
    teamDomain: domain,
    aud: app?.aud,
    newServiceToken,
    serviceTokenClientId: token?.client_id,
    report,
    changed,
  };
}

const PAST: Record<string, string> = {
  create: "created",
  correct: "corrected",
  add: "added",
};
