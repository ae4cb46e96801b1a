// Access applications: the self-hosted one in front of the proxy server's workers.dev host
// (`deploy --access`), and the Access for SaaS (OIDC) one of `deploy --oauth`, whose client
// secret is answered once, at creation, and never listed.
// https://developers.cloudflare.com/api/resources/zero_trust/subresources/access/subresources/applications/
import { randomBytes, randomUUID } from "node:crypto";
import type { AccountState, StandInApp } from "./account-state.js";
import {
  ApiError,
  DURATION,
  REFERENCE,
  invalid,
  notFound,
  record,
  requireString,
  type Route,
} from "./api-envelope.js";

const PAGE = `${REFERENCE}/zero_trust/subresources/access/subresources/applications/methods`;
const GRANT_TYPES = [
  "authorization_code",
  "authorization_code_with_pkce",
  "refresh_tokens",
  "hybrid",
  "implicit",
];

/** An application's `policies`: each must be a reusable policy of this account. */
function checkPolicies(state: AccountState, value: unknown) {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid("policies must be an array.");
  return value.map((entry: { id?: unknown; precedence?: unknown }) => {
    if (typeof entry.id !== "string" || !state.policies.some((p) => p.id === entry.id)) {
      throw invalid(`policies: ${String(entry.id)} is not a reusable policy of this account.`);
    }
    return { id: entry.id, precedence: Number(entry.precedence ?? 1) };
  });
}

function saasAppFrom(value: unknown, existing?: StandInApp["saas_app"]) {
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
  if (!grants.every((grant) => GRANT_TYPES.includes(grant))) {
    throw invalid(`saas_app.grant_types must be among ${GRANT_TYPES.join(", ")}.`);
  }
  return {
    auth_type: "oidc",
    client_id: existing?.client_id ?? randomBytes(32).toString("hex"),
    client_secret: existing?.client_secret ?? randomBytes(32).toString("hex"),
    redirect_uris: uris as string[],
    grant_types: grants,
    scopes: (saas.scopes ?? ["openid"]) as string[],
  };
}

function appFromBody(
  state: AccountState,
  body: Record<string, unknown>,
  existing?: StandInApp,
): StandInApp {
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
      policies: checkPolicies(state, body.policies),
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
    aud: existing?.aud ?? state.options.audFor?.(domain) ?? randomBytes(32).toString("hex"),
    name: typeof body.name === "string" ? body.name : domain,
    domain,
    type,
    session_duration: session,
    ...(typeof body.app_launcher_visible === "boolean"
      ? { app_launcher_visible: body.app_launcher_visible }
      : {}),
    policies: checkPolicies(state, body.policies),
  };
}

export function accessAppRoutes(state: AccountState): Route[] {
  const { apps } = state;
  return [
    {
      method: "GET",
      pattern: new RegExp(`^${state.account}/access/apps$`),
      permissions: ["Access: Apps and Policies Write", "Access: Apps and Policies Read"],
      page: `${PAGE}/list/`,
      handle: () =>
        apps.map((app) =>
          app.saas_app === undefined
            ? app
            : { ...app, saas_app: { ...app.saas_app, client_secret: undefined } },
        ),
    },
    {
      method: "POST",
      pattern: new RegExp(`^${state.account}/access/apps$`),
      permissions: ["Access: Apps and Policies Write"],
      page: `${PAGE}/create/`,
      handle: (_match, body) => {
        const app = appFromBody(state, record(body));
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
      pattern: new RegExp(`^${state.account}/access/apps/([^/]+)$`),
      permissions: ["Access: Apps and Policies Write"],
      page: `${PAGE}/update/`,
      handle: (match, body) => {
        const index = apps.findIndex((candidate) => candidate.id === match[1]);
        if (index < 0) throw notFound(12130, "access.api.error.application_not_found");
        apps[index] = appFromBody(state, record(body), apps[index]);
        return apps[index];
      },
    },
  ];
}
