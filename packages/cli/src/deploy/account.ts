// The account and the workers.dev host a deploy goes to, found the way wrangler finds them:
// CLOUDFLARE_ACCOUNT_ID, else the config's `account_id`, else the token's only account.
import { CliError } from "../cli-error.js";
import type { CloudflareApi } from "./cloudflare-api.js";

export const PERMISSIONS = {
  ACCOUNT_READ: "Account Settings Read",
  WORKERS_WRITE: "Workers Scripts Write",
  WORKERS_READ: "Workers Scripts Read",
  ACCESS_APPS: "Access: Apps and Policies Write",
  ACCESS_SERVICE_TOKENS: "Access: Service Tokens Write",
  ACCESS_ORGANIZATION: "Access: Organizations, Identity Providers, and Groups Read",
  KV_WRITE: "Workers KV Storage Write",
} as const;

export async function resolveAccountId(
  api: CloudflareApi,
  env: NodeJS.ProcessEnv,
  configAccountId: unknown,
): Promise<string> {
  const fromEnv = env.CLOUDFLARE_ACCOUNT_ID?.trim();
  if (fromEnv) return fromEnv;
  if (typeof configAccountId === "string" && configAccountId !== "") return configAccountId;
  const accounts = await api.list<{ id: string; name: string }>({
    path: "/accounts",
    action: "list the accounts this API token can use",
    permission: PERMISSIONS.ACCOUNT_READ,
  });
  if (accounts.length === 1) return accounts[0]!.id;
  throw new CliError(
    "ERR_DEPLOY",
    accounts.length === 0
      ? "The API token in CLOUDFLARE_API_TOKEN reaches no account. Give it access to your account at https://dash.cloudflare.com/profile/api-tokens, or set CLOUDFLARE_ACCOUNT_ID."
      : `The API token in CLOUDFLARE_API_TOKEN reaches ${accounts.length} accounts (${accounts.map((account) => `${account.name}: ${account.id}`).join(", ")}), so access-bridge cannot pick one. Set CLOUDFLARE_ACCOUNT_ID, or account_id in your wrangler config, as wrangler asks too.`,
  );
}

/** `<worker>.<the account's workers.dev subdomain>.workers.dev`. */
export async function workersDevHostname(
  api: CloudflareApi,
  accountId: string,
  workerName: string,
): Promise<string> {
  const { subdomain } = await api.request<{ subdomain: string }>({
    method: "GET",
    path: `/accounts/${accountId}/workers/subdomain`,
    action: "look up the account's workers.dev subdomain",
    permission: PERMISSIONS.WORKERS_READ,
    notFound:
      "This account has no workers.dev subdomain yet, so the proxy server would have no address. Open Workers & Pages in the Cloudflare dashboard once to choose one, then run again.",
  });
  return `${workerName}.${subdomain}.workers.dev`;
}

/** Whether the Worker exists on the account: a deploy record alone cannot see one deleted since. */
export async function workerExists(
  api: CloudflareApi,
  accountId: string,
  workerName: string,
): Promise<boolean> {
  const settings = await api.find({
    path: `/accounts/${accountId}/workers/scripts/${workerName}/settings`,
    action: `check whether the Worker ${workerName} is deployed`,
    permission: PERMISSIONS.WORKERS_READ,
  });
  return settings !== undefined;
}
