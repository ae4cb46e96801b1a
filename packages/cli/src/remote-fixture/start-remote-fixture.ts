// A stand-in for a deployed remote, for other projects' test suites: the proxy server behind
// the Access emulator with local stand-ins for a wrangler config's remote bindings (the embedded
// remote of `access-bridge dev`), a fresh service token, and a front Worker that shows what
// `ctx.access` each request gets. What `access-bridge remote` runs, callable from Node.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AccessEmulator, ApplicationType } from "@access-bridge/access-emulator";
import {
  DevSessionError,
  REMOTE_URL_VARIABLE,
  STAND_INS_FILE,
  startEmbeddedRemote,
  type EmbeddedRemoteBinding,
  readUserConfig,
  findProjectWrangler,
} from "@access-bridge/dev-session";
import {
  carriedBindingsByEnvironment,
  validateCredentials,
  WORKERS_COMPATIBILITY_DATE,
} from "@access-bridge/remote-bindings";
import type { V4WorkerOptions as WorkerOptions } from "miniflare";
import { errorDetail } from "@access-bridge/conventions";
import { CliError } from "../cli-error.js";
import { IDENTITY_PATH } from "./identity-path.js";

export const APPLICATION_TYPES: readonly ApplicationType[] = ["service_auth_only", "self_hosted"];

export interface RemoteFixtureOptions {
  /** The wrangler config whose remote bindings get stand-ins. Default: the one wrangler finds. */
  config?: string;
  /** Where a relative `config` is resolved from, and the search starts. Default: the cwd. */
  cwd?: string;
  /** Port on 127.0.0.1. Default 0: a free one. */
  port?: number;
  /** The Access application. Default `service_auth_only`: service tokens only. */
  type?: ApplicationType;
}

/** A binding of the config, and whether the fixture stands in for it (its embedded remote decides). */
export type RemoteFixtureBinding = EmbeddedRemoteBinding;

export interface RemoteFixture {
  /** `http://127.0.0.1:<port>`: the remote URL for access-bridge. */
  url: string;
  /** Valid in this fixture only, until `dispose()`. Prints and serialises without its secret. */
  serviceToken: { clientId: string; clientSecret: string };
  /** ACCESS_BRIDGE_REMOTE_URL and the service token's two variables, for a test runner. */
  environment(): Record<string, string>;
  /** The Access application, for checking its assertions: nothing secret. */
  access: {
    type: ApplicationType;
    aud: string;
    teamDomain: string;
    certsUrl: string;
    loginUrl: string;
    /** Answers `{ aud, identity }`: the front Worker's `ctx.access` for the request's token. */
    identityUrl: string;
  };
  bindings: RemoteFixtureBinding[];
  /** Absolute path of the wrangler config the bindings come from. */
  configPath: string;
  /** The emulator itself: user tokens, more service tokens, revocation, key rotation, decisions. */
  emulator: AccessEmulator;
  /** Stops workerd; safe to call twice. */
  dispose(): Promise<void>;
}

// From src/remote-fixture and from dist/remote-fixture alike (see npm run build).
const FRONT_BUNDLE = fileURLToPath(
  new URL("../../dist/workers/remote-fixture-origin.worker.js", import.meta.url),
);

function frontWorker(): WorkerOptions {
  return {
    name: "access-bridge-remote-origin",
    modules: true,
    scriptPath: FRONT_BUNDLE,
    modulesRoot: path.dirname(FRONT_BUNDLE),
    compatibilityDate: WORKERS_COMPATIBILITY_DATE,
  } as WorkerOptions;
}

function invalid(option: string, why: string): CliError {
  return new CliError("ERR_USAGE", `startRemoteFixture({ ${option} }) ${why}`, 2);
}

function validate(options: RemoteFixtureOptions): void {
  const { port, type } = options;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw invalid("port", `must be an integer from 0 to 65535 (0 picks a free port), got ${port}.`);
  }
  if (type !== undefined && !APPLICATION_TYPES.includes(type)) {
    throw invalid("type", `must be "service_auth_only" or "self_hosted", got "${String(type)}".`);
  }
}

/** The embedded remote's start error, told for this command (whose only remote is this one). */
function startFailure(error: unknown): unknown {
  if (!(
    error instanceof DevSessionError &&
    error.code === "ERR_START" &&
    error.cause instanceof Error
  )) {
    return error;
  }
  const { cause } = error;
  const portInUse = (cause as { code?: unknown }).code === "ERR_PORT_IN_USE";
  return new CliError(
    "ERR_START",
    `access-bridge remote did not start: ${errorDetail(cause)}${portInUse ? "" : ` If a stand-in in ${STAND_INS_FILE} is named above, fix it.`}`,
    1,
    { cause },
  );
}

/** Starts the fixture; `dispose()` it when done (it holds a workerd process). */
export async function startRemoteFixture(
  options: RemoteFixtureOptions = {},
): Promise<RemoteFixture> {
  validate(options);
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const projectDir =
    options.config === undefined ? cwd : path.dirname(path.resolve(cwd, options.config));
  const config = readUserConfig(findProjectWrangler(projectDir), {
    cwd,
    config: options.config,
    env: undefined,
  });
  const configDir = path.dirname(config.path);
  // Every environment's: a suite may run any of them against the one fixture.
  const carried = carriedBindingsByEnvironment(config.raw, path.basename(config.path)).flatMap(
    (section) => section.carried,
  );
  const type = options.type ?? "service_auth_only";
  const remote = await startEmbeddedRemote({
    carried,
    configDir,
    type,
    port: options.port,
    front: frontWorker(),
    // A remote for CI starts as deployed each time: migrations applied, nothing kept.
    state: "in-memory",
  }).catch((error: unknown) => {
    throw startFailure(error);
  });
  const { access } = remote;
  const token = access.createServiceToken();
  const serviceToken = validateCredentials(token, "serviceToken") as RemoteFixture["serviceToken"];
  const url = remote.url.origin;
  let disposed: Promise<void> | undefined;
  return {
    url,
    serviceToken,
    environment: () => ({
      [REMOTE_URL_VARIABLE]: url,
      CLOUDFLARE_ACCESS_CLIENT_ID: token.clientId,
      CLOUDFLARE_ACCESS_CLIENT_SECRET: token.clientSecret,
    }),
    access: {
      type,
      aud: access.aud,
      teamDomain: access.teamDomain,
      certsUrl: access.certsUrl,
      loginUrl: access.loginUrl,
      identityUrl: `${url}${IDENTITY_PATH}`,
    },
    bindings: remote.bindings,
    configPath: config.path,
    emulator: access,
    dispose: () => (disposed ??= remote.dispose()),
  };
}
