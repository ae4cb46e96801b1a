// `access-bridge deploy --access` against the Cloudflare API stand-in, in process: the requests
// it sends (shapes from Cloudflare's API reference, checked by the stand-in), what a second run
// changes (nothing), what it corrects, and each refusal Cloudflare documents, as its sentence.
// Reference pages (the stand-in names one per route):
// - Access applications: https://developers.cloudflare.com/api/resources/zero_trust/subresources/access/subresources/applications/methods/create/
// - Reusable policies: https://developers.cloudflare.com/api/resources/zero_trust/subresources/access/subresources/policies/methods/create/
// - Service tokens: https://developers.cloudflare.com/api/resources/zero_trust/subresources/access/subresources/service_tokens/methods/create/
//   ("This is the only time you can get the Client Secret.")
// - Zero Trust organization: https://developers.cloudflare.com/api/resources/zero_trust/subresources/organizations/methods/list/
// - workers.dev subdomain: https://developers.cloudflare.com/api/resources/workers/subresources/subdomains/methods/get/
// - Errors: https://developers.cloudflare.com/fundamentals/api/troubleshooting/,
//   https://developers.cloudflare.com/changelog/post/2026-08-20-contextual-403s/,
//   https://developers.cloudflare.com/api/limits/
import { describe, expect, it } from "vitest";
import { CliError } from "../src/cli-error.js";
import { resolveAccountId, workersDevHostname } from "../src/deploy/account.js";
import { ensureAccessProtection } from "../src/deploy/access-setup.js";
import { ensureOAuthSetup, parseAllowList } from "../src/deploy/oauth-setup.js";
import { cloudflareApi } from "../src/deploy/cloudflare-api.js";
import {
  startCloudflareApiStandIn,
  type StandInOptions,
} from "./support/cloudflare-api-stand-in.js";

const WORKER = "notes-access-bridge";
const HOST = `${WORKER}.example-team.workers.dev`;

async function setUp(options: StandInOptions = {}, token = "test-api-token") {
  const standIn = await startCloudflareApiStandIn(options);
  const api = cloudflareApi(token, { CLOUDFLARE_API_BASE_URL: standIn.url });
  const protect = (dryRun = false) =>
    ensureAccessProtection({
      api,
      accountId: standIn.accountId,
      hostname: HOST,
      workerName: WORKER,
      dryRun,
    });
  return { standIn, api, protect };
}

async function refusal(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CliError);
  expect((error as CliError).code).toBe("ERR_CLOUDFLARE_API");
  return error as CliError;
}

describe("Access in front of the proxy server, through the API", () => {
  it("creates a service token, a Service Auth policy including it, and an application using it", async () => {
    const { standIn, protect } = await setUp();
    const first = await protect();

    expect(standIn.writes().map((request) => `${request.method} ${request.path}`)).toEqual([
      `POST /accounts/${standIn.accountId}/access/service_tokens`,
      `POST /accounts/${standIn.accountId}/access/policies`,
      `POST /accounts/${standIn.accountId}/access/apps`,
    ]);
    const [token] = standIn.serviceTokens;
    expect(token).toMatchObject({ name: `${WORKER} (access-bridge)`, duration: "8760h" });
    expect(standIn.policies).toEqual([
      expect.objectContaining({
        decision: "non_identity",
        include: [{ service_token: { token_id: token!.id } }],
      }),
    ]);
    expect(standIn.apps).toEqual([
      expect.objectContaining({
        domain: HOST,
        type: "self_hosted",
        app_launcher_visible: false,
        policies: [{ id: standIn.policies[0]!.id, precedence: 1 }],
      }),
    ]);
    expect(first).toMatchObject({
      teamDomain: "https://example-team.cloudflareaccess.com",
      aud: standIn.apps[0]!.aud,
      changed: true,
      newServiceToken: { clientId: token!.client_id, clientSecret: expect.any(String) },
    });
    expect(first.report).toEqual([
      `created the service token "${WORKER} (access-bridge)"`,
      `created the Service Auth policy "${WORKER}: service token (access-bridge)"`,
      `created the Access application for ${HOST}`,
    ]);
  });

  it("changes nothing on a second run, and says so; the secret is not shown again", async () => {
    const { standIn, protect } = await setUp();
    const first = await protect();
    const writes = standIn.writes().length;
    const second = await protect();
    expect(standIn.writes()).toHaveLength(writes);
    expect(second).toMatchObject({
      changed: false,
      aud: first.aud,
      newServiceToken: undefined,
      serviceTokenClientId: first.newServiceToken!.clientId,
    });
    expect(second.report.every((line) => line.startsWith("unchanged: "))).toBe(true);
  });

  it("corrects a policy that lost the token, and adds its policy to an application it did not create", async () => {
    const { standIn, api, protect } = await setUp();
    await protect();
    const accountPath = `/accounts/${standIn.accountId}/access`;
    // Someone edited things by hand: the policy now admits everyone, and the application was
    // replaced by one with a policy of their own for people who sign in.
    standIn.policies[0]!.decision = "allow";
    const people = await api.request<{ id: string }>({
      method: "POST",
      path: `${accountPath}/policies`,
      body: { name: "people", decision: "allow", include: [{ everyone: {} }] },
      action: "test",
      permission: "test",
    });
    standIn.apps[0]!.policies = [{ id: people.id, precedence: 1 }];

    const third = await protect();
    expect(third.report).toEqual([
      `unchanged: the service token "${WORKER} (access-bridge)"`,
      `corrected the policy "${WORKER}: service token (access-bridge)" (Service Auth, including the service token)`,
      `added the policy "${WORKER}: service token (access-bridge)" to the Access application for ${HOST}`,
    ]);
    expect(standIn.policies[0]!.decision).toBe("non_identity");
    expect(standIn.apps[0]!.policies).toEqual([
      { id: people.id, precedence: 1 },
      { id: standIn.policies[0]!.id, precedence: 2 },
    ]);
  });

  it("in a dry run reads, says what it would do, and writes nothing", async () => {
    const { standIn, protect } = await setUp();
    const planned = await protect(true);
    expect(standIn.writes()).toEqual([]);
    expect(planned.aud).toBeUndefined();
    expect(planned.report).toEqual([
      `would create the service token "${WORKER} (access-bridge)"`,
      `would create the Service Auth policy "${WORKER}: service token (access-bridge)"`,
      `would create the Access application for ${HOST}`,
    ]);
  });
});

describe("each refusal as a sentence", () => {
  it.each([
    ["Access: Service Tokens Write", /list the account.s Access service tokens/],
    ["Access: Apps and Policies Write", /list the account's reusable Access policies/],
    [
      "Access: Organizations, Identity Providers, and Groups Read",
      /read your Zero Trust organization/,
    ],
  ])("a token without %s is told to add exactly that permission", async (missing, action) => {
    const all = [
      "Access: Service Tokens Write",
      "Access: Apps and Policies Write",
      "Access: Organizations, Identity Providers, and Groups Read",
    ];
    const { protect } = await setUp(
      {
        tokens: { limited: all.filter((permission) => permission !== missing) },
      },
      "limited",
    );
    const error = await refusal(protect());
    expect(error.detail).toMatch(action);
    expect(error.detail).toContain(`it lacks the permission "${missing}" on this account`);
    expect(error.detail).toContain("https://dash.cloudflare.com/profile/api-tokens");
    // Cloudflare's documentation_url for the denied endpoint is passed on.
    expect(error.detail).toMatch(
      /Cloudflare's page for this call: https:\/\/developers\.cloudflare\.com\/api\//,
    );
    expect(error.detail).not.toContain("limited");
  });

  it("an unknown token: not accepted, make one, and the token never appears", async () => {
    const { protect } = await setUp({}, "not-a-real-token-4c2e");
    const error = await refusal(protect());
    expect(error.detail).toMatch(
      /^Cloudflare did not accept the API token in CLOUDFLARE_API_TOKEN/,
    );
    expect(error.detail).toContain("10001 Unable to authenticate request");
    expect(error.message).not.toContain("not-a-real-token-4c2e");
  });

  it("no Zero Trust organization: set up Zero Trust first", async () => {
    const { protect } = await setUp({ authDomain: undefined });
    expect((await refusal(protect())).detail).toMatch(
      /^Zero Trust is not set up on this account.*choose a team name/,
    );
  });

  it("no workers.dev subdomain: choose one in the dashboard", async () => {
    const { standIn, api } = await setUp({ subdomain: undefined });
    const error = await refusal(workersDevHostname(api, standIn.accountId, WORKER));
    expect(error.detail).toMatch(/^This account has no workers\.dev subdomain yet/);
  });

  it("the rate limit: wait as long as Cloudflare says", async () => {
    const { standIn, protect } = await setUp();
    standIn.failNext(/^GET .*\/access\/service_tokens/, {
      status: 429,
      errors: [{ code: 971, message: "Please wait and consider throttling your request speed" }],
      headers: { "retry-after": "300" },
    });
    expect((await refusal(protect())).detail).toMatch(/over the limit.*Wait 300 s and run again/);
  });

  it("a plan without the feature names the plan", async () => {
    const { standIn, protect } = await setUp();
    standIn.failNext(/^POST .*\/access\/apps$/, {
      status: 403,
      errors: [{ code: 12142, message: "Your plan does not allow more Access applications" }],
    });
    expect((await refusal(protect())).detail).toMatch(
      /^Cloudflare refused to create the Access application for .* because your account's plan does not include it .*Your plan does not allow more Access applications/,
    );
  });

  it("a conflict, and Cloudflare's own failure", async () => {
    const { standIn, protect } = await setUp();
    standIn.failNext(/^POST .*\/access\/policies$/, {
      status: 409,
      errors: [{ code: 12129, message: "access.api.error.conflict" }],
    });
    expect((await refusal(protect())).detail).toMatch(/already exists.*another --name/);
    standIn.failNext(/^GET .*\/access\/apps/, {
      status: 502,
      errors: [{ code: 1000, message: "bad gateway" }],
    });
    expect((await refusal(protect())).detail).toMatch(/This is on Cloudflare's side/);
  });

  it("an unreachable API names the address it tried", async () => {
    const api = cloudflareApi("t", { CLOUDFLARE_API_BASE_URL: "http://127.0.0.1:9/client/v4" });
    const error = await refusal(workersDevHostname(api, "a", WORKER));
    expect(error.detail).toMatch(
      /^Could not reach Cloudflare's API at http:\/\/127\.0\.0\.1:9\/client\/v4/,
    );
  });
});

describe("which account", () => {
  it("CLOUDFLARE_ACCOUNT_ID, then the config's account_id, then the token's only account", async () => {
    const { standIn, api } = await setUp();
    expect(await resolveAccountId(api, { CLOUDFLARE_ACCOUNT_ID: "from-env" }, "from-config")).toBe(
      "from-env",
    );
    expect(await resolveAccountId(api, {}, "from-config")).toBe("from-config");
    expect(await resolveAccountId(api, {}, undefined)).toBe(standIn.accountId);
  });
});

describe("OAuth mode's side of Cloudflare", () => {
  const allow = parseAllowList("Ada@Example.com, @example.org example.org");

  it("reads --allow as emails and whole domains, and refuses anything else", () => {
    expect(allow).toEqual({ emails: ["ada@example.com"], domains: ["example.org"] });
    expect(() => parseAllowList("ada@, example.org")).toThrow(/"ada@" is neither/);
  });

  it("creates the policy, the SaaS application and the KV namespace once; the secrets go to the Worker only", async () => {
    const { standIn, api } = await setUp();
    const setUpOAuth = (workerSecrets: string[], dryRun = false) =>
      ensureOAuthSetup({
        api,
        accountId: standIn.accountId,
        hostname: HOST,
        workerName: WORKER,
        allow,
        workerSecrets: new Set(workerSecrets),
        dryRun,
      });
    const planned = await setUpOAuth([], true);
    expect(standIn.writes()).toEqual([]);
    expect(planned.report.every((line) => line.startsWith("would "))).toBe(true);

    const first = await setUpOAuth([]);
    const [app] = standIn.apps;
    expect(first.secrets).toEqual({
      OAUTH_ACCESS_CLIENT_SECRET: app!.saas_app!.client_secret,
      OAUTH_USER_ID_KEY: expect.stringMatching(/^[\w-]{43}$/),
    });
    expect(first.vars.OAUTH_ACCESS_CLIENT_ID).toBe(app!.saas_app!.client_id);
    expect(first.kvNamespaceId).toBe(standIn.kvNamespaces[0]!.id);
    expect(first.report.join("\n")).not.toContain(app!.saas_app!.client_secret);

    const again = await setUpOAuth(["OAUTH_ACCESS_CLIENT_SECRET", "OAUTH_USER_ID_KEY"]);
    expect(again).toMatchObject({ changed: false, secrets: {} });
    expect(standIn.apps).toHaveLength(1);

    // The client secret is shown once: an application whose secret the Worker lost cannot be
    // mended by reading it again, and the message says what to do instead.
    const lost = await setUpOAuth(["OAUTH_USER_ID_KEY"]).catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(CliError);
    expect((lost as CliError).message).toMatch(
      /does not have its client secret.*Delete the application.*or generate a new client secret there/,
    );
  });
});
