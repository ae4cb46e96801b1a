// The Miniflare API: wires remote bindings into v4-shaped Miniflare worker options (the shape
// Miniflare 4 takes directly and Miniflare 5 takes through `convertV4MiniflareOptions()`, as
// wrangler and the Vite plugin do). Each remote binding becomes a service binding of the user
// worker to the proxy-client worker, whose props say which remote binding it is.
import path from "node:path";
import type { V4WorkerOptions as WorkerOptions } from "miniflare";
import type { BearerTokenSource } from "./bearer-token-source.js";
import { tokenSourceBinding } from "./bearer-token-source.js";
import type { CallBounds } from "../shared/call-bounds.js";
import type { WarningHandler } from "./client-reporter.js";
import { createClientReporter } from "./client-reporter.js";
import type { AccessCredentialsByHost } from "./resolve-credentials.js";
import {
  ACCESS_CREDENTIAL_SOURCES,
  accessCredentialSource,
  type AccessCredentialSource,
} from "../shared/advice.js";
import type { AccessCredentials } from "../shared/credentials.js";
import {
  credentialsForUrl,
  resolveAccessCredentials,
  validateCredentials,
} from "./resolve-credentials.js";
import type { RemoteBindingOptions, RemoteBindingPlan } from "./remote-binding-plan.js";
import { invalidOption, parseRemoteUrl, planRemoteBindings } from "./remote-binding-plan.js";
import { withFacades } from "./miniflare-facades.js";
import { REPORTER_BINDING, TOKEN_SOURCE_BINDING } from "../shared/wire-protocol.js";

export type { RemoteBindingOptions } from "./remote-binding-plan.js";

export interface RemoteBindingsOptions {
  /** The proxy server, e.g. https://bindings-proxy.example.workers.dev */
  remoteUrl: string;
  bindings: Record<string, RemoteBindingOptions>;
  /** Defaults to resolveAccessCredentials(process.env). `null` sends none. */
  credentials?: AccessCredentials | AccessCredentialsByHost | null;
  /**
   * Where `credentials` came from, when you resolved them elsewhere (e.g. with
   * @access-bridge/dev-session), so that the advice on an Access block names the right fix.
   * Default: "environment" without `credentials`, "option" with them.
   */
  credentialSource?: AccessCredentialSource;
  /**
   * For a proxy server in OAuth mode: where the proxy client gets the access token it sends as
   * `Authorization: Bearer` on every path, e.g. `accessTokenSource({ remote })` of
   * @access-bridge/auth-relay. Sent besides any Access credentials. Default: none.
   */
  bearer?: BearerTokenSource;
  /** How long the proxy client waits on the network before a call fails; see the README. */
  callBounds?: Partial<CallBounds>;
  /** Where warnings go (Access blocks, proxy client failures). Defaults to console.warn. */
  onWarning?: WarningHandler;
  /** Name of the proxy-client worker; change it to use several remotes in one Miniflare. */
  clientWorkerName?: string;
}

export interface RemoteBindings {
  /**
   * `worker` with a service binding per remote binding; when a binding needs a facade in the
   * worker's isolate (KV, R2, D1, Workers AI), its script also gets the facade modules (see the README).
   */
  apply(worker: WorkerOptions): WorkerOptions;
  /** The proxy-client worker; add it to Miniflare's `workers`. */
  readonly workers: WorkerOptions[];
  /** The tool-independent plan these options were built from. */
  readonly plan: RemoteBindingPlan;
}

function clientWorker(plan: RemoteBindingPlan, nodeBindings: WorkerOptions["serviceBindings"]) {
  const { client } = plan;
  return {
    name: client.name,
    modules: true,
    scriptPath: client.main,
    // Miniflare names modules relative to the working directory by default, and refuses a path
    // that climbs out of it, as the bundle's does when the package sits above the project.
    modulesRoot: path.dirname(client.main),
    compatibilityDate: client.compatibilityDate,
    compatibilityFlags: client.compatibilityFlags,
    bindings: { ...client.settings, ...client.vars },
    serviceBindings: nodeBindings,
    // In memory only; workerd closes the sessions when Miniflare is disposed.
    durableObjects: client.durableObjects,
    unsafeEphemeralDurableObjects: true,
  } satisfies WorkerOptions;
}

function validateBearer(value: unknown): BearerTokenSource | undefined {
  if (value === undefined) return undefined;
  if (typeof (value as BearerTokenSource | null)?.token !== "function") {
    throw invalidOption(
      "remoteBindings",
      "bearer",
      "must be a token source: an object whose token() resolves to the access token (a string, or { token, expiresAt }), such as accessTokenSource({ remote }) of @access-bridge/auth-relay.",
    );
  }
  return value as BearerTokenSource;
}

function validateSource(
  value: unknown,
  credentials: RemoteBindingsOptions["credentials"],
): AccessCredentialSource {
  if (value === undefined) return credentials === undefined ? "environment" : "option";
  const source = accessCredentialSource(typeof value === "string" ? value : undefined);
  if (source === undefined) {
    throw invalidOption(
      "remoteBindings",
      "credentialSource",
      `must be one of ${ACCESS_CREDENTIAL_SOURCES.map((name) => `"${name}"`).join(", ")}.`,
    );
  }
  return source;
}

export function remoteBindings(options: RemoteBindingsOptions): RemoteBindings {
  const remoteUrl = parseRemoteUrl(options?.remoteUrl, "remoteBindings");
  const warn: WarningHandler = options.onWarning ?? ((message) => console.warn(message));
  const all =
    options.credentials === undefined
      ? resolveAccessCredentials(process.env, { onWarning: (message) => warn(message) })
      : options.credentials;
  const credentials = credentialsForUrl(
    all !== null && !("byHost" in all) ? validateCredentials(all, "credentials") : all,
    remoteUrl,
  );
  const bearer = validateBearer(options.bearer);
  const plan = planRemoteBindings({
    remoteUrl,
    bindings: options.bindings,
    credentials,
    credentialSource: validateSource(options.credentialSource, options.credentials),
    clientWorkerName: options.clientWorkerName,
    callBounds: options.callBounds,
  });
  const nodeBindings = {
    [REPORTER_BINDING]: createClientReporter(warn),
    ...(bearer === undefined ? {} : { [TOKEN_SOURCE_BINDING]: tokenSourceBinding(bearer) }),
  };

  return {
    plan,
    workers: [clientWorker(plan, nodeBindings)],
    apply(worker) {
      const serviceBindings = { ...worker.serviceBindings };
      for (const [name, binding] of Object.entries(plan.serviceBindings)) {
        if (name in serviceBindings) {
          throw invalidOption(
            "remoteBindings",
            `bindings.${name}`,
            "clashes with a service binding the worker already has.",
          );
        }
        serviceBindings[name] = { name: binding.service, props: { ...binding.props } };
      }
      return withFacades(
        { ...worker, serviceBindings } as WorkerOptions,
        plan.facades,
        plan.pipelineFacades,
      );
    },
  };
}
