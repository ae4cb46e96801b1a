// Worker scripts as wrangler deploy uploads them: a new Worker in one PUT of a multipart body;
// an existing one as a version, then a deployment of it at 100 %.
// https://developers.cloudflare.com/api/resources/workers/subresources/scripts/
// https://developers.cloudflare.com/api/resources/workers/subresources/scripts/subresources/versions/
// https://developers.cloudflare.com/api/resources/workers/subresources/scripts/subresources/deployments/
import { randomBytes, randomUUID } from "node:crypto";
import { scriptNamed, type AccountState, type StandInScript } from "./account-state.js";
import { REFERENCE, invalid, record, type Route, type Upload } from "./api-envelope.js";

const SCRIPTS = `${REFERENCE}/workers/subresources/scripts`;

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

function deploymentOf(script: StandInScript) {
  return {
    id: `deployment-${script.versionId}`,
    created_on: "2026-01-01T00:00:00Z",
    source: "wrangler",
    strategy: "percentage",
    versions: [{ version_id: script.versionId, percentage: 100 }],
    annotations: {},
  };
}

export function workerUploadRoutes(state: AccountState): Route[] {
  const { account, scripts } = state;
  return [
    {
      // wrangler deploy asks for the Worker first, to tell a new one from an update.
      method: "GET",
      pattern: new RegExp(`^${account}/workers/services/([^/]+)$`),
      permissions: ["Workers Scripts Write", "Workers Scripts Read"],
      page: `${SCRIPTS}/methods/get/`,
      handle: (match) => {
        scriptNamed(state, match[1]!);
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
      page: `${SCRIPTS}/methods/update/`,
      handle: async (match, _body, upload) => {
        const metadata = await uploadMetadata(upload);
        if (typeof metadata.main_module !== "string") {
          throw invalid("metadata.main_module is required for a module Worker.");
        }
        const previous = scripts.get(match[1]!);
        const script: StandInScript = {
          metadata,
          uploads: (previous?.uploads ?? 0) + 1,
          secrets: secretsOf(metadata, previous?.secrets),
          workersDev: previous?.workersDev ?? false,
          previews: previous?.previews ?? false,
          versionId: randomUUID(),
        };
        scripts.set(match[1]!, script);
        return {
          id: match[1],
          etag: randomBytes(16).toString("hex"),
          deployment_id: script.versionId,
          startup_time_ms: 1,
        };
      },
    },
    {
      // An update of an existing Worker: wrangler uploads a version, then deploys it.
      method: "POST",
      pattern: new RegExp(`^${account}/workers/scripts/([^/]+)/versions$`),
      permissions: ["Workers Scripts Write"],
      page: `${SCRIPTS}/subresources/versions/methods/create/`,
      handle: async (match, _body, upload) => {
        const script = scriptNamed(state, match[1]!);
        script.metadata = await uploadMetadata(upload);
        script.secrets = secretsOf(script.metadata, script.secrets);
        script.uploads += 1;
        const id = randomUUID();
        return {
          id,
          number: script.uploads,
          resources: { script: { etag: id } },
          startup_time_ms: 1,
        };
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${account}/workers/scripts/([^/]+)/versions/([^/]+)$`),
      permissions: ["Workers Scripts Write", "Workers Scripts Read"],
      page: `${SCRIPTS}/subresources/versions/methods/get/`,
      handle: (match) => {
        const script = scriptNamed(state, match[1]!);
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
      method: "POST",
      pattern: new RegExp(`^${account}/workers/scripts/([^/]+)/deployments$`),
      permissions: ["Workers Scripts Write"],
      page: `${SCRIPTS}/subresources/deployments/methods/create/`,
      handle: (match, body) => {
        const script = scriptNamed(state, match[1]!);
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
      page: `${SCRIPTS}/subresources/deployments/methods/list/`,
      handle: (match) => ({ deployments: [deploymentOf(scriptNamed(state, match[1]!))] }),
    },
  ];
}
