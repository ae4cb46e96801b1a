// A stand-in for the part of Cloudflare's API that `access-bridge deploy` and the wrangler
// deploy it runs call, on 127.0.0.1, for tests: Cloudflare's API cannot be reached here. Built
// from Cloudflare's published API reference; each route names its page. What every answer
// shares, the envelope `{ success, errors, messages, result, result_info }` and its errors
// `{ code, message, documentation_url }`, is from
// https://developers.cloudflare.com/fundamentals/api/ and
// https://developers.cloudflare.com/changelog/post/2026-08-20-contextual-403s/ (a 403 is code
// 10000 with the denied endpoint's documentation_url).
//
// It checks what it is sent (an unknown field shape is a 400 naming it, as the API answers), and
// each route accepts a token only with one of the permissions its page lists ("Accepted
// Permissions"). Requests are logged without their Authorization header.
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { onTestFinished } from "vitest";

const REFERENCE = "https://developers.cloudflare.com/api/resources";

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

export interface LoggedRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface Failure {
  status: number;
  errors: { code: number; message: string; documentation_url?: string }[];
  headers?: Record<string, string>;
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

export interface CloudflareApiStandIn {
  url: string;
  accountId: string;
  serviceTokens: StandInServiceToken[];
  policies: StandInPolicy[];
  apps: StandInApp[];
  kvNamespaces: { id: string; title: string }[];
  /** Worker scripts uploaded, by name: their multipart metadata. */
  scripts: Map<string, StandInScript>;
  requests: LoggedRequest[];
  /** The next request whose `METHOD path` matches gets this answer instead. */
  failNext(match: RegExp, failure: Failure): void;
  writes(): LoggedRequest[];
  close(): Promise<void>;
}

const ALL_PERMISSIONS = [
  "Account Settings Read",
  "Workers Scripts Write",
  "Workers R2 Storage Write",
  "D1 Write",
  "Workers KV Storage Write",
  "Access: Apps and Policies Write",
  "Access: Service Tokens Write",
  "Access: Organizations, Identity Providers, and Groups Read",
];

class ApiError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.errors[0]?.message);
  }
}

function invalid(message: string): ApiError {
  return new ApiError({ status: 400, errors: [{ code: 1001, message }] });
}

function notFound(code: number, message: string): ApiError {
  return new ApiError({ status: 404, errors: [{ code, message }] });
}

interface Route {
  method: string;
  pattern: RegExp;
  /** Accepted permissions, from the route's reference page. */
  permissions: string[];
  /** The reference page (also the documentation_url of its 403). */
  page: string;
  handle(match: RegExpExecArray, body: unknown, upload: Upload): unknown;
}

/** A multipart request's body, for the script upload. */
interface Upload {
  raw: Buffer;
  contentType: string;
}

async function uploadMetadata(upload: Upload): Promise<Record<string, unknown>> {
  const form = await new Response(new Uint8Array(upload.raw), {
    headers: { "content-type": upload.contentType },
  }).formData();
  const metadata = form.get("metadata");
  if (metadata === null) throw invalid("A script upload needs a metadata part.");
  return JSON.parse(typeof metadata === "string" ? metadata : await metadata.text()) as Record<
    string,
    unknown
  >;
}

/**
 * Secrets uploaded with a version (wrangler deploy --secrets-file) are `secret_text` bindings;
 * those not sent are kept, as the API keeps them (wrangler marks them to inherit).
 */
function secretsOf(
  metadata: Record<string, unknown>,
  previous: Map<string, string> | undefined,
): Map<string, string> {
  const secrets = new Map(previous);
  for (const binding of (metadata.bindings ?? []) as {
    type: string;
    name: string;
    text?: string;
  }[]) {
    if (binding.type === "secret_text" && binding.text !== undefined) {
      secrets.set(binding.name, binding.text);
    }
  }
  return secrets;
}

function record(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalid("The request body must be a JSON object.");
  }
  return body as Record<string, unknown>;
}

function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== "string" || value === "") throw invalid(`${field} is required.`);
  return value;
}

const DURATION = /^(\d+(ns|us|µs|ms|s|m|h))+$/;
const DECISIONS = new Set(["allow", "deny", "non_identity", "bypass"]);

export async function startCloudflareApiStandIn(
  options: StandInOptions = {},
): Promise<CloudflareApiStandIn> {
  const accountId = options.accountId ?? "0123456789abcdef0123456789abcdef";
  const tokens = options.tokens ?? { "test-api-token": ALL_PERMISSIONS };
  const subdomain = "subdomain" in options ? options.subdomain : "example-team";
  const authDomain =
    "authDomain" in options ? options.authDomain : "example-team.cloudflareaccess.com";
  const serviceTokens: StandInServiceToken[] = [];
  const policies: StandInPolicy[] = [];
  const apps: StandInApp[] = [];
  const scripts = new Map<string, StandInScript>();
  const pendingVersions = new Map<string, string>();
  const deploymentOf = (script: StandInScript) => ({
    id: `deployment-${script.versionId}`,
    created_on: "2026-01-01T00:00:00Z",
    source: "wrangler",
    strategy: "percentage",
    versions: [{ version_id: script.versionId, percentage: 100 }],
    annotations: {},
  });
  const scriptNamed = (name: string) => {
    const script = scripts.get(name);
    if (script === undefined) throw notFound(10007, "workers.api.error.script_not_found");
    return script;
  };
  const requests: LoggedRequest[] = [];
  const kvNamespaces: { id: string; title: string }[] = [];
  const faults: { match: RegExp; failure: Failure }[] = [];
  const account = `/accounts/${accountId}`;

  const checkInclude = (include: unknown) => {
    if (!Array.isArray(include) || include.length === 0) {
      throw invalid("include must be a non-empty array of rules.");
    }
    for (const rule of include as Record<string, { token_id?: unknown }>[]) {
      const tokenId = rule.service_token?.token_id;
      if (rule.service_token !== undefined && !serviceTokens.some((t) => t.id === tokenId)) {
        throw invalid(
          `service_token.token_id ${String(tokenId)} is not a service token of this account.`,
        );
      }
    }
  };
  const checkPolicies = (value: unknown) => {
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw invalid("policies must be an array.");
    return value.map((entry: { id?: unknown; precedence?: unknown }) => {
      if (typeof entry.id !== "string" || !policies.some((p) => p.id === entry.id)) {
        throw invalid(`policies: ${String(entry.id)} is not a reusable policy of this account.`);
      }
      return { id: entry.id, precedence: Number(entry.precedence ?? 1) };
    });
  };
  const saasAppFrom = (value: unknown, existing?: StandInApp["saas_app"]) => {
    const saas = record(value);
    if (saas.auth_type !== "oidc") throw invalid("saas_app.auth_type must be oidc (or saml).");
    const uris = saas.redirect_uris;
    if (
      !Array.isArray(uris) ||
      uris.length === 0 ||
      !uris.every((uri) => typeof uri === "string" && uri.startsWith("https://"))
    ) {
      throw invalid("saas_app.redirect_uris must be https URLs.");
    }
    const grants = (saas.grant_types ?? ["authorization_code"]) as string[];
    const known = [
      "authorization_code",
      "authorization_code_with_pkce",
      "refresh_tokens",
      "hybrid",
      "implicit",
    ];
    if (!grants.every((grant) => known.includes(grant))) {
      throw invalid(`saas_app.grant_types must be among ${known.join(", ")}.`);
    }
    return {
      auth_type: "oidc",
      client_id: existing?.client_id ?? randomBytes(32).toString("hex"),
      client_secret: existing?.client_secret ?? randomBytes(32).toString("hex"),
      redirect_uris: uris as string[],
      grant_types: grants,
      scopes: (saas.scopes ?? ["openid"]) as string[],
    };
  };
  const appFromBody = (body: Record<string, unknown>, existing?: StandInApp): StandInApp => {
    const type = requireString(body, "type");
    if (type === "saas") {
      return {
        id: existing?.id ?? randomUUID(),
        aud: existing?.aud ?? randomBytes(32).toString("hex"),
        name: requireString(body, "name"),
        domain: "",
        type,
        session_duration: "24h",
        saas_app: saasAppFrom(body.saas_app, existing?.saas_app),
        policies: checkPolicies(body.policies),
      };
    }
    if (type !== "self_hosted") throw invalid(`type ${type} is not what this stand-in serves.`);
    const domain = requireString(body, "domain");
    const session = body.session_duration ?? "24h";
    if (typeof session !== "string" || !DURATION.test(session)) {
      throw invalid("session_duration must look like 24h or 30m.");
    }
    return {
      id: existing?.id ?? randomUUID(),
      aud: existing?.aud ?? options.audFor?.(domain) ?? randomBytes(32).toString("hex"),
      name: typeof body.name === "string" ? body.name : domain,
      domain,
      type,
      session_duration: session,
      ...(typeof body.app_launcher_visible === "boolean"
        ? { app_launcher_visible: body.app_launcher_visible }
        : {}),
      policies: checkPolicies(body.policies),
    };
  };

  const routes: Route[] = [
    {
      // https://developers.cloudflare.com/api/resources/accounts/methods/list/
      method: "GET",
      pattern: /^\/accounts$/,
      permissions: ["Account Settings Read"],
      page: `${REFERENCE}/accounts/methods/list/`,
      handle: () => [{ id: accountId, name: "Example account" }],
    },
    {
      method: "GET",
      pattern: new RegExp(`^${account}/workers/subdomain$`),
      permissions: ["Workers Scripts Write", "Workers Scripts Read"],
      page: `${REFERENCE}/workers/subresources/subdomains/methods/get/`,
      handle: () => {
        if (subdomain === undefined) {
          throw notFound(10007, "This account does not have a workers.dev subdomain.");
        }
        return { subdomain };
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${account}/access/organizations$`),
      permissions: [
        "Access: Organizations, Identity Providers, and Groups Write",
        "Access: Organizations, Identity Providers, and Groups Read",
      ],
      page: `${REFERENCE}/zero_trust/subresources/organizations/methods/list/`,
      handle: () => {
        if (authDomain === undefined) {
          throw notFound(12000, "access.api.error.not_found: organization not found");
        }
        return { auth_domain: authDomain, name: authDomain.split(".")[0] };
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${account}/access/service_tokens$`),
      permissions: ["Access: Service Tokens Write", "Access: Service Tokens Read"],
      page: `${REFERENCE}/zero_trust/subresources/access/subresources/service_tokens/methods/list/`,
      handle: () => serviceTokens,
    },
    {
      method: "POST",
      pattern: new RegExp(`^${account}/access/service_tokens$`),
      permissions: ["Access: Service Tokens Write"],
      page: `${REFERENCE}/zero_trust/subresources/access/subresources/service_tokens/methods/create/`,
      handle: (_match, body) => {
        const fields = record(body);
        const name = requireString(fields, "name");
        const duration = fields.duration ?? "8760h";
        if (typeof duration !== "string" || !DURATION.test(duration)) {
          throw invalid("duration must look like 8760h.");
        }
        const issued = options.issueServiceToken?.() ?? {
          clientId: `${randomBytes(16).toString("hex")}.access`,
          clientSecret: randomBytes(32).toString("hex"),
        };
        const token = { id: randomUUID(), name, client_id: issued.clientId, duration };
        serviceTokens.push(token);
        // The only answer that carries the secret.
        return { ...token, client_secret: issued.clientSecret };
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${account}/access/policies$`),
      permissions: ["Access: Apps and Policies Write", "Access: Apps and Policies Read"],
      page: `${REFERENCE}/zero_trust/subresources/access/subresources/policies/methods/list/`,
      handle: () => policies,
    },
    {
      method: "POST",
      pattern: new RegExp(`^${account}/access/policies$`),
      permissions: ["Access: Apps and Policies Write"],
      page: `${REFERENCE}/zero_trust/subresources/access/subresources/policies/methods/create/`,
      handle: (_match, body) => {
        const fields = record(body);
        const decision = requireString(fields, "decision");
        if (!DECISIONS.has(decision))
          throw invalid(`decision ${decision} is not one of ${[...DECISIONS]}.`);
        checkInclude(fields.include);
        const policy = {
          id: randomUUID(),
          name: requireString(fields, "name"),
          decision,
          include: fields.include as Record<string, unknown>[],
        };
        policies.push(policy);
        return policy;
      },
    },
    {
      method: "PUT",
      pattern: new RegExp(`^${account}/access/policies/([^/]+)$`),
      permissions: ["Access: Apps and Policies Write"],
      page: `${REFERENCE}/zero_trust/subresources/access/subresources/policies/methods/update/`,
      handle: (match, body) => {
        const policy = policies.find((candidate) => candidate.id === match[1]);
        if (policy === undefined) throw notFound(12130, "access.api.error.policy_not_found");
        const fields = record(body);
        const decision = requireString(fields, "decision");
        if (!DECISIONS.has(decision)) throw invalid(`decision ${decision} is not valid.`);
        checkInclude(fields.include);
        Object.assign(policy, {
          name: requireString(fields, "name"),
          decision,
          include: fields.include,
        });
        return policy;
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${account}/access/apps$`),
      permissions: ["Access: Apps and Policies Write", "Access: Apps and Policies Read"],
      page: `${REFERENCE}/zero_trust/subresources/access/subresources/applications/methods/list/`,
      handle: () =>
        apps.map((app) =>
          app.saas_app === undefined
            ? app
            : { ...app, saas_app: { ...app.saas_app, client_secret: undefined } },
        ),
    },
    {
      method: "POST",
      pattern: new RegExp(`^${account}/access/apps$`),
      permissions: ["Access: Apps and Policies Write"],
      page: `${REFERENCE}/zero_trust/subresources/access/subresources/applications/methods/create/`,
      handle: (_match, body) => {
        const app = appFromBody(record(body));
        if (app.domain !== "" && apps.some((candidate) => candidate.domain === app.domain)) {
          throw new ApiError({
            status: 409,
            errors: [{ code: 12129, message: "access.api.error.application_already_exists" }],
          });
        }
        apps.push(app);
        return app;
      },
    },
    {
      method: "PUT",
      pattern: new RegExp(`^${account}/access/apps/([^/]+)$`),
      permissions: ["Access: Apps and Policies Write"],
      page: `${REFERENCE}/zero_trust/subresources/access/subresources/applications/methods/update/`,
      handle: (match, body) => {
        const index = apps.findIndex((candidate) => candidate.id === match[1]);
        if (index < 0) throw notFound(12130, "access.api.error.application_not_found");
        apps[index] = appFromBody(record(body), apps[index]);
        return apps[index];
      },
    },
    {
      // wrangler deploy checks that the resources its bindings name exist (otherwise it offers
      // to create them). Here every bucket and database exists.
      method: "GET",
      pattern: new RegExp(`^${account}/r2/buckets/([^/]+)$`),
      permissions: ["Workers R2 Storage Write", "Workers R2 Storage Read"],
      page: `${REFERENCE}/r2/subresources/buckets/methods/get/`,
      handle: (match) => ({
        name: match[1],
        creation_date: "2026-01-01T00:00:00Z",
        location: "WEUR",
      }),
    },
    {
      method: "GET",
      pattern: new RegExp(`^${account}/d1/database/([^/]+)$`),
      permissions: ["D1 Write", "D1 Read"],
      page: `${REFERENCE}/d1/subresources/database/methods/get/`,
      handle: (match) => ({ uuid: match[1], name: match[1], version: "production" }),
    },
    {
      method: "GET",
      pattern: new RegExp(`^${account}/storage/kv/namespaces$`),
      permissions: ["Workers KV Storage Write", "Workers KV Storage Read"],
      page: `${REFERENCE}/kv/subresources/namespaces/methods/list/`,
      handle: () => kvNamespaces,
    },
    {
      method: "POST",
      pattern: new RegExp(`^${account}/storage/kv/namespaces$`),
      permissions: ["Workers KV Storage Write"],
      page: `${REFERENCE}/kv/subresources/namespaces/methods/create/`,
      handle: (_match, body) => {
        const title = requireString(record(body), "title");
        if (kvNamespaces.some((namespace) => namespace.title === title)) {
          throw invalid("a namespace with this title already exists");
        }
        const namespace = { id: randomBytes(16).toString("hex"), title };
        kvNamespaces.push(namespace);
        return namespace;
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${account}/storage/kv/namespaces/([^/]+)$`),
      permissions: ["Workers KV Storage Write", "Workers KV Storage Read"],
      page: `${REFERENCE}/kv/subresources/namespaces/methods/get/`,
      handle: (match) => ({ id: match[1], title: match[1] }),
    },
    {
      // wrangler deploy asks for the Worker first, to tell a new one from an update.
      method: "GET",
      pattern: new RegExp(`^${account}/workers/services/([^/]+)$`),
      permissions: ["Workers Scripts Write", "Workers Scripts Read"],
      page: `${REFERENCE}/workers/subresources/scripts/methods/get/`,
      handle: (match) => {
        const script = scripts.get(match[1]!);
        if (script === undefined) throw notFound(10007, "workers.api.error.script_not_found");
        return {
          id: match[1],
          default_environment: {
            environment: "production",
            script: { tag: `tag-${match[1]}`, tags: [], last_deployed_from: "wrangler" },
          },
        };
      },
    },
    {
      method: "PUT",
      pattern: new RegExp(`^${account}/workers/scripts/([^/]+)$`),
      permissions: ["Workers Scripts Write"],
      page: `${REFERENCE}/workers/subresources/scripts/methods/update/`,
      handle: async (match, _body, upload) => {
        const metadata = await uploadMetadata(upload);
        if (typeof metadata.main_module !== "string") {
          throw invalid("metadata.main_module is required for a module Worker.");
        }
        const previous = scripts.get(match[1]!);
        scripts.set(match[1]!, {
          metadata,
          uploads: (previous?.uploads ?? 0) + 1,
          secrets: secretsOf(metadata, previous?.secrets),
          workersDev: previous?.workersDev ?? false,
          previews: previous?.previews ?? false,
          versionId: randomUUID(),
        });
        return {
          id: match[1],
          etag: randomBytes(16).toString("hex"),
          deployment_id: scripts.get(match[1]!)!.versionId,
          startup_time_ms: 1,
        };
      },
    },
    {
      // An update of an existing Worker: wrangler uploads a version, then deploys it.
      method: "POST",
      pattern: new RegExp(`^${account}/workers/scripts/([^/]+)/versions$`),
      permissions: ["Workers Scripts Write"],
      page: `${REFERENCE}/workers/subresources/scripts/subresources/versions/methods/create/`,
      handle: async (match, _body, upload) => {
        const script = scriptNamed(match[1]!);
        script.metadata = await uploadMetadata(upload);
        script.secrets = secretsOf(script.metadata, script.secrets);
        script.uploads += 1;
        const id = randomUUID();
        pendingVersions.set(id, match[1]!);
        return {
          id,
          number: script.uploads,
          resources: { script: { etag: id } },
          startup_time_ms: 1,
        };
      },
    },
    {
      method: "POST",
      pattern: new RegExp(`^${account}/workers/scripts/([^/]+)/deployments$`),
      permissions: ["Workers Scripts Write"],
      page: `${REFERENCE}/workers/subresources/scripts/subresources/deployments/methods/create/`,
      handle: (match, body) => {
        const script = scriptNamed(match[1]!);
        const versions = record(body).versions as { version_id: string; percentage: number }[];
        if (!Array.isArray(versions) || versions.length !== 1) {
          throw invalid("versions must name the one version to deploy.");
        }
        script.versionId = versions[0]!.version_id;
        return deploymentOf(script);
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${account}/workers/scripts/([^/]+)/deployments$`),
      permissions: ["Workers Scripts Write", "Workers Scripts Read"],
      page: `${REFERENCE}/workers/subresources/scripts/subresources/deployments/methods/list/`,
      handle: (match) => ({ deployments: [deploymentOf(scriptNamed(match[1]!))] }),
    },
    {
      method: "GET",
      pattern: new RegExp(`^${account}/workers/scripts/([^/]+)/versions/([^/]+)$`),
      permissions: ["Workers Scripts Write", "Workers Scripts Read"],
      page: `${REFERENCE}/workers/subresources/scripts/subresources/versions/methods/get/`,
      handle: (match) => {
        const script = scriptNamed(match[1]!);
        return {
          id: match[2],
          number: script.uploads,
          metadata: { created_on: "2026-01-01T00:00:00Z", source: "wrangler" },
          annotations: {},
          resources: { bindings: script.metadata.bindings ?? [], script: {} },
        };
      },
    },
    {
      method: "PATCH",
      pattern: new RegExp(`^${account}/workers/scripts/([^/]+)/script-settings$`),
      permissions: ["Workers Scripts Write"],
      page: `${REFERENCE}/workers/subresources/scripts/subresources/script_and_version_settings/methods/edit/`,
      handle: (match, body) => {
        scriptNamed(match[1]!);
        return record(body);
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${account}/workers/scripts/([^/]+)/secrets$`),
      permissions: ["Workers Scripts Write", "Workers Scripts Read"],
      page: `${REFERENCE}/workers/subresources/scripts/subresources/secrets/methods/list/`,
      handle: (match) =>
        [...scriptNamed(match[1]!).secrets.keys()].map((name) => ({ name, type: "secret_text" })),
    },
    {
      method: "PUT",
      pattern: new RegExp(`^${account}/workers/scripts/([^/]+)/secrets$`),
      permissions: ["Workers Scripts Write"],
      page: `${REFERENCE}/workers/subresources/scripts/subresources/secrets/methods/update/`,
      handle: (match, body) => {
        const fields = record(body);
        const name = requireString(fields, "name");
        if (fields.type !== "secret_text") throw invalid("type must be secret_text.");
        scriptNamed(match[1]!).secrets.set(name, requireString(fields, "text"));
        return { name, type: "secret_text" };
      },
    },
    {
      // What wrangler reads to tell whether the Worker is on workers.dev already.
      method: "GET",
      pattern: new RegExp(`^${account}/workers/workers/([^/]+)$`),
      permissions: ["Workers Scripts Write", "Workers Scripts Read"],
      page: `${REFERENCE}/workers/subresources/beta/subresources/workers/methods/get/`,
      handle: (match) => {
        const script = scriptNamed(match[1]!);
        return {
          id: match[1],
          name: match[1],
          subdomain: { enabled: script.workersDev, previews_enabled: script.previews },
        };
      },
    },
    {
      method: "POST",
      pattern: new RegExp(`^${account}/workers/scripts/([^/]+)/subdomain$`),
      permissions: ["Workers Scripts Write"],
      page: `${REFERENCE}/workers/subresources/scripts/subresources/subdomain/methods/create/`,
      handle: (match, body) => {
        const fields = record(body);
        if (typeof fields.enabled !== "boolean") throw invalid("enabled must be a boolean.");
        const script = scriptNamed(match[1]!);
        script.workersDev = fields.enabled;
        script.previews = fields.previews_enabled === true;
        return { enabled: script.workersDev, previews_enabled: script.previews };
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${account}/workers/scripts/([^/]+)/settings$`),
      permissions: ["Workers Scripts Write", "Workers Scripts Read"],
      page: `${REFERENCE}/workers/subresources/scripts/subresources/script_and_version_settings/methods/get/`,
      handle: (match) => ({ bindings: scriptNamed(match[1]!).metadata.bindings ?? [] }),
    },
  ];

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => void answer(request, Buffer.concat(chunks), response));
  });

  function send(response: ServerResponse, status: number, payload: unknown, headers = {}) {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(JSON.stringify(payload));
  }

  async function answer(request: IncomingMessage, raw: Buffer, response: ServerResponse) {
    const url = new URL(request.url ?? "/", "http://stand-in");
    const method = request.method ?? "GET";
    const type = request.headers["content-type"] ?? "";
    let body: unknown;
    try {
      body =
        type.startsWith("application/json") && raw.length > 0
          ? JSON.parse(raw.toString())
          : undefined;
    } catch {
      return send(
        response,
        400,
        envelopeOf({ status: 400, errors: [{ code: 1001, message: "Invalid JSON." }] }),
      );
    }
    const path = url.pathname.replace(/^\/client\/v4/, "");
    requests.push({ method, path, body });
    const fault = faults.findIndex(({ match }) => match.test(`${method} ${path}`));
    if (fault >= 0) {
      const { failure } = faults.splice(fault, 1)[0]!;
      return send(response, failure.status, envelopeOf(failure), failure.headers);
    }
    const route = routes.find(
      (candidate) => candidate.method === method && candidate.pattern.test(path),
    );
    if (route === undefined) {
      return send(
        response,
        404,
        envelopeOf({
          status: 404,
          errors: [{ code: 7003, message: `No route for ${method} ${path} in the stand-in.` }],
        }),
      );
    }
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    const permissions = token === undefined ? undefined : tokens[token];
    if (permissions === undefined) {
      // What Cloudflare answers a token it does not know.
      return send(
        response,
        400,
        envelopeOf({
          status: 400,
          errors: [{ code: 10001, message: "Unable to authenticate request" }],
        }),
      );
    }
    if (!route.permissions.some((permission) => permissions.includes(permission))) {
      return send(
        response,
        403,
        envelopeOf({
          status: 403,
          errors: [{ code: 10000, message: "Authentication error", documentation_url: route.page }],
        }),
      );
    }
    try {
      const result = await route.handle(route.pattern.exec(path)!, body, {
        raw,
        contentType: type,
      });
      const list = Array.isArray(result);
      send(response, method === "POST" ? 201 : 200, {
        success: true,
        errors: [],
        messages: [],
        result,
        ...(list
          ? {
              result_info: {
                page: 1,
                per_page: 100,
                count: result.length,
                total_count: result.length,
                total_pages: 1,
              },
            }
          : {}),
      });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      send(response, error.failure.status, envelopeOf(error.failure));
    }
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const standIn: CloudflareApiStandIn = {
    url: `http://127.0.0.1:${port}/client/v4`,
    accountId,
    serviceTokens,
    policies,
    apps,
    kvNamespaces,
    scripts,
    requests,
    failNext: (match, failure) => faults.push({ match, failure }),
    writes: () => requests.filter((request) => request.method !== "GET"),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  onTestFinished(() => standIn.close());
  return standIn;
}

function envelopeOf(failure: Failure) {
  return { success: false, errors: failure.errors, messages: [], result: null };
}
