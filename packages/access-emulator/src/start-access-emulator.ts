import { WORKERS_COMPATIBILITY_DATE } from "@access-bridge/conventions";
import { createServer } from "node:net";
import path from "node:path";
import {
  convertV4MiniflareOptions,
  CoreHeaders,
  Miniflare,
  type MiniflareOptions,
  type V4WorkerOptions as WorkerOptions,
} from "./miniflare-module.js";
import { AppTokens, userIdFor, type UserTokenOptions } from "./app-tokens.js";
import { Authority } from "./authority.js";
import type { GateConfig } from "./authority-protocol.js";
import type { AccessDecision } from "./decisions.js";
import { AccessEmulatorError } from "./errors.js";
import { OidcProvider, type OidcApplication } from "./oidc/oidc-provider.js";
import { resolveOptions, type AccessEmulatorOptions, type ResolvedOptions } from "./options.js";
import { ServiceTokens, type ServiceToken } from "./service-tokens.js";
import { SigningKeys } from "./signing-keys.js";
import { warmUp } from "./warm-up.js";
import { workerBundlePath } from "./worker-bundles.js";

export interface AccessEmulator {
  /** Where the application listens, e.g. "http://127.0.0.1:41234". */
  readonly url: string;
  /** "https://<team>.cloudflareaccess.com": the `iss` of every token. */
  readonly teamDomain: string;
  /** The application audience tag: the `aud` of every token. */
  readonly aud: string;
  /** The JWKS to verify assertions with: `<url>/cdn-cgi/access/certs`. */
  readonly certsUrl: string;
  /** The emulator's sign-in page for this application (Access's lives on the team domain). */
  readonly loginUrl: string;
  /** Every gated request, allowed or blocked, and why. Holds no secret. */
  readonly decisions: readonly AccessDecision[];
  createServiceToken(): ServiceToken;
  revokeServiceToken(clientId: string): void;
  /** A user's application token: use it as the CF_Authorization cookie or `cf-access-token`. */
  issueUserToken(email: string, options?: UserTokenOptions): Promise<string>;
  /**
   * Signs with a new key; the previous key stays published and valid until the next rotation.
   * The OIDC application signs id_tokens with the same keys.
   */
  rotateKeys(): Promise<void>;
  /**
   * The Access for SaaS OIDC application, when the emulator was started with `oidc`; reading it
   * otherwise throws ERR_NO_OIDC_APPLICATION.
   */
  readonly oidc: OidcApplication;
  /**
   * The bindings of a Worker of the origin (default: the origin itself), from Node: Miniflare's
   * getBindings(). To seed or inspect what the origin's KV, R2 or D1 hold.
   */
  getOriginBindings<Bindings = Record<string, unknown>>(workerName?: string): Promise<Bindings>;
  dispose(): Promise<void>;
}

const GATE_WORKER = "access-gate";
const ORIGIN_WORKER = "origin";

function originWorkers(options: ResolvedOptions): { workers: WorkerOptions[]; origin?: string } {
  if ("url" in options.origin) return { workers: [] };
  const origin: WorkerOptions = {
    ...options.origin.worker,
    name: options.origin.worker.name ?? ORIGIN_WORKER,
    // Miniflare's own ctx.access wiring (wrangler's `access.dev`): workerd reads ctx.access from
    // a header of each request. Without `identity` it holds no fixed one; the gate sends this
    // request's identity in that header instead.
    access: { aud: options.aud },
  };
  if (origin.name === GATE_WORKER) {
    throw new AccessEmulatorError(
      "ERR_INVALID_OPTION",
      `origin.worker.name "${GATE_WORKER}" is taken by the emulator itself; pick another name.`,
    );
  }
  return { workers: [origin, ...(options.origin.extraWorkers ?? [])], origin: origin.name };
}

function portInUse(port: number): AccessEmulatorError {
  return new AccessEmulatorError(
    "ERR_PORT_IN_USE",
    `Port ${port} on 127.0.0.1 is in use. Stop whatever listens there, or pass another port (0 picks a free one).`,
  );
}

// workerd reports a taken port as a fatal crash on stderr; asking first gives a clean error.
async function assertPortFree(port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? portInUse(port)
          : new AccessEmulatorError(
              "ERR_START_FAILED",
              `Cannot listen on 127.0.0.1:${port} (${error.code ?? error.message}). Pass another port, or 0 for a free one.`,
              { cause: error },
            ),
      ),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

// Miniflare validates worker options as it is constructed; what it refuses can only be the
// caller's origin options, since the gate's are fixed.
function createMiniflare(options: () => MiniflareOptions): Miniflare {
  try {
    return new Miniflare(options());
  } catch (error) {
    throw new AccessEmulatorError(
      "ERR_INVALID_OPTION",
      'Miniflare refused the worker options in origin.worker or origin.extraWorkers: they must be Miniflare (v4-shaped) worker options such as { modules: true, script: "export default { fetch() {} }" } or { modules: true, scriptPath }. Miniflare\'s validation error is attached as `cause`.',
      { cause: error },
    );
  }
}

/** Starts an emulated Cloudflare Access application in workerd, in front of `origin`. */
export async function startAccessEmulator(options: AccessEmulatorOptions): Promise<AccessEmulator> {
  const resolved = resolveOptions(options);
  await assertPortFree(resolved.port);
  const keys = await SigningKeys.create(resolved.teamDomain);
  const serviceTokens = new ServiceTokens();
  for (const token of options.serviceTokens ?? []) serviceTokens.add(token);
  const appTokens = new AppTokens(keys, resolved);
  const oidc =
    resolved.oidc === undefined
      ? undefined
      : new OidcProvider(resolved.oidc, resolved.teamDomain, keys, userIdFor);
  const authority = new Authority(resolved, serviceTokens, keys, appTokens, oidc);
  const { workers, origin } = originWorkers(resolved);
  const gateBundle = workerBundlePath(GATE_WORKER);

  const config: GateConfig = {
    type: resolved.type,
    teamDomain: resolved.teamDomain,
    aud: resolved.aud,
    allowedEmails: resolved.allowedEmails,
    originUrl: "url" in resolved.origin ? resolved.origin.url : null,
    accessBlobHeader: CoreHeaders.ACCESS_BLOB,
  };
  const miniflare = createMiniflare(() =>
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: resolved.port,
      // No network here: never download the Request.cf object.
      cf: false,
      ...(resolved.persistTo === undefined
        ? {}
        : { resourcePersistencePath: path.resolve(resolved.persistTo) }),
      workers: [
        {
          name: GATE_WORKER,
          modules: true,
          scriptPath: gateBundle,
          // Module names are relative to the working directory unless told otherwise, and workerd
          // refuses names that climb out of it with "..", as the bundle's would from a project.
          modulesRoot: path.dirname(gateBundle),
          compatibilityDate: WORKERS_COMPATIBILITY_DATE,
          bindings: { CONFIG: config },
          serviceBindings: {
            AUTHORITY: authority.handle,
            ...(origin === undefined ? {} : { ORIGIN: origin }),
          },
        },
        ...workers,
      ],
    }),
  );
  let url: URL;
  try {
    url = await miniflare.ready;
  } catch (error) {
    await miniflare.dispose().catch(() => {});
    throw new AccessEmulatorError(
      "ERR_START_FAILED",
      `The Access emulator could not start workerd: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }

  try {
    const givenTokens = (options.serviceTokens ?? []).map(({ clientId }) => clientId);
    await warmUp(miniflare, url, appTokens, givenTokens);
  } catch (error) {
    await miniflare.dispose().catch(() => {});
    throw new AccessEmulatorError(
      "ERR_START_FAILED",
      `The Access emulator started workerd, but its first request through the gate failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }

  const base = url.href.replace(/\/$/, "");
  oidc?.setEmulatorUrl(base);
  let disposed = false;
  const live = (method: string): void => {
    if (disposed) {
      throw new AccessEmulatorError(
        "ERR_DISPOSED",
        `${method}() was called after dispose(); start a new emulator instead.`,
      );
    }
  };
  const oidcApplication = oidc?.api(live);
  return {
    url: base,
    teamDomain: resolved.teamDomain,
    aud: resolved.aud,
    certsUrl: `${base}/cdn-cgi/access/certs`,
    loginUrl: `${base}/cdn-cgi/access/login/${url.host}`,
    decisions: authority.decisions,
    createServiceToken() {
      live("createServiceToken");
      const token = serviceTokens.create();
      // Its first request then finds its assertion signed; a failure here is that request's.
      appTokens.prepareService(token.clientId).catch(() => {});
      return token;
    },
    revokeServiceToken(clientId) {
      live("revokeServiceToken");
      serviceTokens.revoke(clientId);
    },
    async issueUserToken(email, tokenOptions) {
      live("issueUserToken");
      return appTokens.mintUser(email, tokenOptions);
    },
    async rotateKeys() {
      live("rotateKeys");
      await keys.rotate();
    },
    get oidc(): OidcApplication {
      if (oidcApplication === undefined) {
        throw new AccessEmulatorError(
          "ERR_NO_OIDC_APPLICATION",
          'This emulator has no OIDC application. Start it with the `oidc` option, such as oidc: { redirectUris: ["http://127.0.0.1:8787/callback"] }.',
        );
      }
      return oidcApplication;
    },
    async getOriginBindings<Bindings>(workerName?: string): Promise<Bindings> {
      live("getOriginBindings");
      const name = workerName ?? origin;
      if (name === undefined) {
        throw new AccessEmulatorError(
          "ERR_INVALID_OPTION",
          "getOriginBindings() reads the bindings of a Worker origin, and this emulator's origin is a URL: start it with origin: { worker } to hold bindings, or name a Worker of origin.extraWorkers.",
        );
      }
      return (await miniflare.getBindings(name)) as Bindings;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await miniflare.dispose();
    },
  };
}
