// `access-bridge deploy` as a user runs it, on the notes example: the generated proxy-server
// config checked by the real wrangler (`wrangler deploy --dry-run`), and with --access the whole
// deploy — Cloudflare's API calls and wrangler's own upload — against the Cloudflare API stand-in
// (CLOUDFLARE_API_BASE_URL, wrangler's own override, sends both there). End to end, the generated
// config runs in workerd (wrangler dev) behind the Access emulator configured as the API calls
// configured Access, and `access-bridge dev --remote-url` reaches it with the printed token.
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { startAccessEmulator } from "@access-bridge/access-emulator";
import { describe, expect, it, onTestFinished } from "vitest";
import { EXAMPLE_DIR, READY, sandbox, type Sandbox } from "@access-bridge/test-support/cli-process";
import {
  startCloudflareApiStandIn,
  type CloudflareApiStandIn,
} from "./support/cloudflare-api-stand-in.js";

const GENERATED = ".wrangler/access-bridge/proxy-server/wrangler.json";

function apiEnvironment(api: CloudflareApiStandIn) {
  return {
    CLOUDFLARE_API_TOKEN: "test-api-token",
    CLOUDFLARE_API_BASE_URL: api.url,
    CLOUDFLARE_ACCOUNT_ID: api.accountId,
  };
}

/** The notes example with a staging environment of its own ids. */
function withStaging(project: string): void {
  const file = path.join(project, "wrangler.jsonc");
  const source = readFileSync(file, "utf8");
  const staging = `"env": {
    "staging": {
      "vars": { "APP_TITLE": "Staging notes" },
      "d1_databases": [
        { "binding": "DB", "database_name": "notes-staging", "database_id": "11111111-1111-4111-8111-111111111111", "remote": true },
      ],
      "r2_buckets": [{ "binding": "ATTACHMENTS", "bucket_name": "notes-attachments-staging", "remote": true }],
    },
  },
}`;
  writeFileSync(file, source.replace(/}\s*$/, staging));
}

function exportedCredentials(stdout: string): { clientId: string; clientSecret: string } {
  const clientId = /^ {2}export CLOUDFLARE_ACCESS_CLIENT_ID=(\S+)$/m.exec(stdout)?.[1];
  const clientSecret = /^ {2}export CLOUDFLARE_ACCESS_CLIENT_SECRET=(\S+)$/m.exec(stdout)?.[1];
  expect(clientId).toBeDefined();
  expect(clientSecret).toBeDefined();
  return { clientId: clientId!, clientSecret: clientSecret! };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function deploy(box: Sandbox, project: string, args: string[], generated = GENERATED) {
  const first = await box.runCli(["deploy", ...args], { cwd: project });
  expect(first.stderr).not.toMatch(/✘/);
  expect(first.code).toBe(0);
  return { first, bytes: readFileSync(path.join(project, generated), "utf8") };
}

describe("access-bridge deploy --dry-run", () => {
  it("generates the proxy server with the app's remote bindings, which the real wrangler accepts, the same bytes each time", async () => {
    const box = sandbox();
    const project = box.project(EXAMPLE_DIR);
    const { first, bytes } = await deploy(box, project, ["--dry-run"]);
    expect(first.stdout).toContain(
      `Generated ${GENERATED}: the proxy server "notes-access-bridge" with 3 remote bindings (SEARCH, ATTACHMENTS, DB).`,
    );
    // wrangler's own summary of what it would upload.
    expect(first.stdout).toMatch(/env\.DB \(notes\)\s+D1 Database/);
    expect(first.stdout).toMatch(/env\.ATTACHMENTS \(notes-attachments\)\s+R2 Bucket/);
    expect(first.stdout).toMatch(/env\.SEARCH \(notes-search\)\s+Worker/);
    expect(first.stdout).toContain("--dry-run: exiting now.");
    expect(first.stdout).toMatch(/Dry run: .*nothing was deployed/);
    expect(first.stderr).toMatch(
      /Nothing puts Cloudflare Access in front of "notes-access-bridge"/,
    );
    const config = JSON.parse(bytes) as Record<string, unknown>;
    expect(config).toMatchObject({
      name: "notes-access-bridge",
      d1_databases: [
        {
          binding: "DB",
          database_name: "notes",
          database_id: "00000000-0000-4000-8000-000000000000",
        },
      ],
      r2_buckets: [{ binding: "ATTACHMENTS", bucket_name: "notes-attachments" }],
      services: [{ binding: "SEARCH", service: "notes-search" }],
      workers_dev: true,
      preview_urls: false,
    });
    // The script is the built proxy server where the package is installed: referenced, not copied
    // into or edited inside node_modules.
    expect(
      path.resolve(path.dirname(path.join(project, GENERATED)), config.main as string),
    ).toMatch(/remote-bindings\/dist\/workers\/proxy-server\.worker\.js$/);
    const uploaded = readFileSync(
      path.join(project, ".wrangler/access-bridge/proxy-server/dist/proxy-server.worker.js"),
    );
    expect(uploaded.length).toBeGreaterThan(0);

    const second = await box.runCli(["deploy", "--dry-run"], { cwd: project });
    expect(second.code).toBe(0);
    expect(readFileSync(path.join(project, GENERATED), "utf8")).toBe(bytes);
  }, 120_000);

  it("deploys an environment's own bindings under its own name", async () => {
    const box = sandbox();
    const project = box.project(EXAMPLE_DIR);
    withStaging(project);
    const { first, bytes } = await deploy(
      box,
      project,
      ["--dry-run", "-e", "staging"],
      ".wrangler/access-bridge/proxy-server.env-staging/wrangler.json",
    );
    expect(first.stdout).toContain(
      'the proxy server "notes-access-bridge-staging" with 2 remote bindings (ATTACHMENTS, DB) of env.staging.',
    );
    expect(first.stdout).toMatch(/env\.DB \(notes-staging\)\s+D1 Database/);
    expect(first.stdout).toMatch(/env\.ATTACHMENTS \(notes-attachments-staging\)\s+R2 Bucket/);
    expect(first.stdout).not.toContain("env.SEARCH");
    expect(JSON.parse(bytes)).toMatchObject({
      name: "notes-access-bridge-staging",
      d1_databases: [{ database_id: "11111111-1111-4111-8111-111111111111" }],
    });
    expect(first.stdout).toContain("--env staging");
  }, 120_000);
});

describe("access-bridge deploy --access", () => {
  it("needs an API token, and says which permissions", async () => {
    const box = sandbox();
    const project = box.project(EXAMPLE_DIR);
    const result = await box.runCli(["deploy", "--access"], { cwd: project });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /--access sets up Cloudflare Access through Cloudflare's API, which needs an API token.*"Workers Scripts Write", "Access: Apps and Policies Write", "Access: Service Tokens Write"/,
    );
  });

  it("protects first, deploys through the user's wrangler, prints the token once; a re-run changes nothing; new bindings redeploy", async () => {
    const box = sandbox();
    const project = box.project(EXAMPLE_DIR);
    const api = await startCloudflareApiStandIn();
    const env = apiEnvironment(api);

    const first = await box.runCli(["deploy", "--access"], { cwd: project, env });
    expect(first.stderr).not.toMatch(/✘/);
    expect(first.code).toBe(0);
    const host = "notes-access-bridge.example-team.workers.dev";
    expect(first.stdout).toContain(`created the Access application for ${host}`);
    const { clientId } = exportedCredentials(first.stdout);
    expect(clientId).toBe(api.serviceTokens[0]!.client_id);
    // Access came before the upload: the Worker was never on workers.dev unprotected.
    const paths = api.requests.map((request) => `${request.method} ${request.path}`);
    expect(
      paths.findIndex((line) => line.endsWith("/access/apps") && line.startsWith("POST")),
    ).toBeLessThan(
      paths.findIndex(
        (line) => line.endsWith("/workers/scripts/notes-access-bridge") && line.startsWith("PUT"),
      ),
    );
    const script = api.scripts.get("notes-access-bridge")!;
    expect(script.workersDev).toBe(true);
    expect(script.previews).toBe(false);
    expect(script.metadata.bindings).toEqual(
      expect.arrayContaining([
        {
          type: "plain_text",
          name: "ACCESS_TEAM_DOMAIN",
          text: "https://example-team.cloudflareaccess.com",
        },
        { type: "plain_text", name: "ACCESS_AUD", text: api.apps[0]!.aud },
        expect.objectContaining({ type: "d1", name: "DB" }),
        expect.objectContaining({
          type: "r2_bucket",
          name: "ATTACHMENTS",
          bucket_name: "notes-attachments",
        }),
        expect.objectContaining({ type: "service", name: "SEARCH", service: "notes-search" }),
      ]),
    );
    expect(first.stdout).toContain(`access-bridge dev --remote-url https://${host}`);
    // The secret is on the terminal once, and nowhere on disk.
    const generated = readFileSync(path.join(project, GENERATED), "utf8");
    expect(generated).not.toContain(exportedCredentials(first.stdout).clientSecret);

    const writes = api.writes().length;
    const second = await box.runCli(["deploy", "--access"], { cwd: project, env });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Access is already set up as it should be: nothing changed.");
    expect(second.stdout).toContain(
      'The proxy server "notes-access-bridge" is deployed with this config and bundle already: nothing to deploy',
    );
    expect(second.stdout).not.toContain("CLOUDFLARE_ACCESS_CLIENT_SECRET=");
    expect(second.stdout).toContain(`(client id ${clientId.slice(0, 8)}…)`);
    expect(api.writes()).toHaveLength(writes);

    const config = path.join(project, "wrangler.jsonc");
    writeFileSync(
      config,
      readFileSync(config, "utf8").replace(
        /}\s*$/,
        `"kv_namespaces": [{ "binding": "CACHE", "id": "0f2ac74b498b48028cb68387c421e279", "remote": true }],\n}`,
      ),
    );
    const third = await box.runCli(["deploy", "--access"], { cwd: project, env });
    expect(third.code).toBe(0);
    expect(third.stdout).toContain("with 4 remote bindings (SEARCH, CACHE, ATTACHMENTS, DB)");
    expect(api.scripts.get("notes-access-bridge")!.uploads).toBe(2);
    expect(api.scripts.get("notes-access-bridge")!.metadata.bindings).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: "kv_namespace", name: "CACHE" })]),
    );
    expect(api.apps).toHaveLength(1);
    expect(api.serviceTokens).toHaveLength(1);
  }, 240_000);

  it("end to end: the deployed config behind Access as the API set it up, reached by access-bridge dev with the printed token", async () => {
    const box = sandbox();
    const project = box.project(EXAMPLE_DIR);
    const originPort = await freePort();
    const access = await startAccessEmulator({
      origin: { url: `http://127.0.0.1:${originPort}` },
      // What a self-hosted application whose only policy is Service Auth does: no sign-in page.
      application: { type: "service_auth_only" },
    });
    onTestFinished(() => access.dispose());
    const api = await startCloudflareApiStandIn({
      authDomain: new URL(access.teamDomain).hostname,
      audFor: () => access.aud,
      issueServiceToken: () => access.createServiceToken(),
    });

    const deployed = await box.runCli(["deploy", "--access"], {
      cwd: project,
      env: apiEnvironment(api),
    });
    expect(deployed.code).toBe(0);
    const credentials = exportedCredentials(deployed.stdout);
    // Access as the calls configured it is what the emulator enforces.
    expect(api.apps[0]).toMatchObject({ aud: access.aud, type: "self_hosted" });
    expect(api.policies.map((policy) => policy.decision)).toEqual(["non_identity"]);

    // The generated config runs in workerd as the emulator's origin, with the search service it
    // binds to beside it; its keys come from the emulator (on Cloudflare, from the team domain).
    const search = path.join(box.dir, "search.wrangler.json");
    writeFileSync(
      search,
      JSON.stringify({
        name: "notes-search",
        main: path.join(project, "search-service/index.ts"),
        compatibility_date: "2026-04-01",
      }),
    );
    const server = box.startWrangler(
      [
        "dev",
        "-c",
        path.join(project, GENERATED),
        "-c",
        search,
        "--ip",
        "127.0.0.1",
        "--port",
        String(originPort),
        "--var",
        `ACCESS_CERTS_URL:${access.certsUrl}`,
        "--persist-to",
        path.join(box.dir, "server-state"),
      ],
      { cwd: project },
    );
    await server.waitFor(READY, 90_000);

    // The proxy server checks the assertion itself: a request that skipped Access is refused.
    const bypass = await fetch(`http://127.0.0.1:${originPort}/`, {
      headers: { "MF-Binding": "DB" },
    });
    expect(bypass.status).toBe(401);
    const blocked = await fetch(access.url, { headers: { "MF-Binding": "DB" } });
    expect(blocked.status).toBe(403);

    const credentialEnv = {
      CLOUDFLARE_ACCESS_CLIENT_ID: credentials.clientId,
      CLOUDFLARE_ACCESS_CLIENT_SECRET: credentials.clientSecret,
    };
    // doctor confirms the whole path: reachable, protected, the printed token accepted, and
    // every remote binding of the config served.
    const doctor = await box.runCli(["doctor", "--remote-url", access.url], {
      cwd: project,
      env: credentialEnv,
    });
    expect(doctor.stdout).not.toContain("✘");
    expect(doctor.code).toBe(0);

    const cli = box.startCli(["dev", "--port", "0", "--remote-url", access.url], {
      cwd: project,
      env: credentialEnv,
    });
    const [, url] = await cli.waitFor(READY, 90_000);
    const form = new FormData();
    form.set("title", "Deployed");
    form.set("body", "reached through the deployed proxy server");
    const created = await fetch(new URL("/notes", url), {
      method: "POST",
      body: form,
      headers: { accept: "application/json" },
    });
    expect(created.status).toBe(201);
    const found = await fetch(new URL("/search?q=deployed", url), {
      headers: { accept: "application/json" },
    });
    expect(await found.json()).toEqual([expect.objectContaining({ title: "Deployed" })]);
    expect(access.decisions.some((decision) => decision.outcome === "allowed")).toBe(true);

    expect((await cli.stop("SIGINT")).code).toBe(130);
    await server.stop("SIGINT");
  }, 240_000);

  it("--oauth: the Access for SaaS application, its KV namespace and the Worker's secrets, set through wrangler and never shown; a re-run keeps them", async () => {
    const box = sandbox();
    const project = box.project(EXAMPLE_DIR);
    const api = await startCloudflareApiStandIn();
    const env = apiEnvironment(api);
    const args = ["deploy", "--oauth", "--allow", "ada@example.com, example.org"];

    const first = await box.runCli(args, { cwd: project, env });
    expect(first.stderr).not.toMatch(/✘/);
    expect(first.code).toBe(0);
    const host = "notes-access-bridge.example-team.workers.dev";
    const [app] = api.apps;
    expect(app).toMatchObject({
      type: "saas",
      saas_app: {
        auth_type: "oidc",
        redirect_uris: [`https://${host}/oauth/callback`],
        grant_types: ["authorization_code_with_pkce"],
      },
    });
    expect(api.policies).toEqual([
      expect.objectContaining({
        decision: "allow",
        include: [
          { email: { email: "ada@example.com" } },
          { email_domain: { domain: "example.org" } },
        ],
      }),
    ]);
    const script = api.scripts.get("notes-access-bridge")!;
    const clientSecret = app!.saas_app!.client_secret;
    expect(script.secrets.get("OAUTH_ACCESS_CLIENT_SECRET")).toBe(clientSecret);
    const userIdKey = script.secrets.get("OAUTH_USER_ID_KEY")!;
    expect(userIdKey.length).toBeGreaterThanOrEqual(32);
    expect(script.metadata.bindings).toEqual(
      expect.arrayContaining([
        {
          type: "plain_text",
          name: "OAUTH_ACCESS_ISSUER",
          text: `https://example-team.cloudflareaccess.com/cdn-cgi/access/sso/oidc/${app!.saas_app!.client_id}`,
        },
        { type: "plain_text", name: "OAUTH_ALLOWED_EMAILS", text: "ada@example.com" },
        { type: "plain_text", name: "OAUTH_ALLOWED_EMAIL_DOMAINS", text: "example.org" },
        { type: "kv_namespace", name: "OAUTH_KV", namespace_id: api.kvNamespaces[0]!.id },
        expect.objectContaining({ type: "ratelimit", name: "OAUTH_RATE_LIMITER" }),
        expect.objectContaining({ type: "d1", name: "DB" }),
      ]),
    );
    // The secrets reached the Worker, and nothing else: not the terminal, not a file.
    for (const secret of [clientSecret, userIdKey]) {
      expect(first.stdout + first.stderr).not.toContain(secret);
      for (const file of ["proxy-server/wrangler.json", "proxy-server/secrets.env"]) {
        expect(
          readFileSync(path.join(project, ".wrangler/access-bridge", file), "utf8"),
        ).not.toContain(secret);
      }
    }
    expect(first.stdout).toContain(`access-bridge login --remote https://${host}`);

    const writes = api.writes().length;
    const second = await box.runCli(args, { cwd: project, env });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(
      "Everything is already set up as it should be: nothing changed.",
    );
    expect(second.stdout).toContain("nothing to deploy");
    expect(api.writes()).toHaveLength(writes);
    expect(api.scripts.get("notes-access-bridge")!.secrets.get("OAUTH_USER_ID_KEY")).toBe(
      userIdKey,
    );
  }, 240_000);
});
