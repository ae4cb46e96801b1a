// A Worker's settings around its upload: the account's workers.dev subdomain (the host `deploy`
// protects), the Worker's workers.dev route, its settings and its secrets.
// https://developers.cloudflare.com/api/resources/workers/subresources/subdomains/methods/get/
// https://developers.cloudflare.com/api/resources/workers/subresources/scripts/subresources/subdomain/
// https://developers.cloudflare.com/api/resources/workers/subresources/scripts/subresources/script_and_version_settings/
// https://developers.cloudflare.com/api/resources/workers/subresources/scripts/subresources/secrets/
import { scriptNamed, type AccountState } from "./account-state.js";
import { REFERENCE, invalid, notFound, record, requireString, type Route } from "./api-envelope.js";

const SCRIPTS = `${REFERENCE}/workers/subresources/scripts`;

export function workerSettingsRoutes(state: AccountState): Route[] {
  const { account } = state;
  const script = (match: RegExpExecArray) => scriptNamed(state, match[1]!);
  return [
    {
      method: "GET",
      pattern: new RegExp(`^${account}/workers/subdomain$`),
      permissions: ["Workers Scripts Write", "Workers Scripts Read"],
      page: `${REFERENCE}/workers/subresources/subdomains/methods/get/`,
      handle: () => {
        if (state.subdomain === undefined) {
          throw notFound(10007, "This account does not have a workers.dev subdomain.");
        }
        return { subdomain: state.subdomain };
      },
    },
    {
      // What wrangler reads to tell whether the Worker is on workers.dev already.
      method: "GET",
      pattern: new RegExp(`^${account}/workers/workers/([^/]+)$`),
      permissions: ["Workers Scripts Write", "Workers Scripts Read"],
      page: `${REFERENCE}/workers/subresources/beta/subresources/workers/methods/get/`,
      handle: (match) => {
        const { workersDev, previews } = script(match);
        return {
          id: match[1],
          name: match[1],
          subdomain: { enabled: workersDev, previews_enabled: previews },
        };
      },
    },
    {
      method: "POST",
      pattern: new RegExp(`^${account}/workers/scripts/([^/]+)/subdomain$`),
      permissions: ["Workers Scripts Write"],
      page: `${SCRIPTS}/subresources/subdomain/methods/create/`,
      handle: (match, body) => {
        const fields = record(body);
        if (typeof fields.enabled !== "boolean") throw invalid("enabled must be a boolean.");
        const target = script(match);
        target.workersDev = fields.enabled;
        target.previews = fields.previews_enabled === true;
        return { enabled: target.workersDev, previews_enabled: target.previews };
      },
    },
    {
      method: "PATCH",
      pattern: new RegExp(`^${account}/workers/scripts/([^/]+)/script-settings$`),
      permissions: ["Workers Scripts Write"],
      page: `${SCRIPTS}/subresources/script_and_version_settings/methods/edit/`,
      handle: (match, body) => {
        script(match);
        return record(body);
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${account}/workers/scripts/([^/]+)/settings$`),
      permissions: ["Workers Scripts Write", "Workers Scripts Read"],
      page: `${SCRIPTS}/subresources/script_and_version_settings/methods/get/`,
      handle: (match) => ({ bindings: script(match).metadata.bindings ?? [] }),
    },
    {
      method: "GET",
      pattern: new RegExp(`^${account}/workers/scripts/([^/]+)/secrets$`),
      permissions: ["Workers Scripts Write", "Workers Scripts Read"],
      page: `${SCRIPTS}/subresources/secrets/methods/list/`,
      handle: (match) =>
        [...script(match).secrets.keys()].map((name) => ({ name, type: "secret_text" })),
    },
    {
      method: "PUT",
      pattern: new RegExp(`^${account}/workers/scripts/([^/]+)/secrets$`),
      permissions: ["Workers Scripts Write"],
      page: `${SCRIPTS}/subresources/secrets/methods/update/`,
      handle: (match, body) => {
        const fields = record(body);
        const name = requireString(fields, "name");
        if (fields.type !== "secret_text") throw invalid("type must be secret_text.");
        script(match).secrets.set(name, requireString(fields, "text"));
        return { name, type: "secret_text" };
      },
    },
  ];
}
