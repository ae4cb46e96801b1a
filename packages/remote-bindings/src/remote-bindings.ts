// The Miniflare API: wires remote bindings into v4-shaped Miniflare worker options (the shape
// Miniflare 4 takes directly and Miniflare 5 takes through `convertV4MiniflareOptions()`, as
// wrangler and the Vite plugin do). Each remote binding becomes a service binding of the user
// worker to the proxy-client worker, whose props say which remote binding it is.
import path from "node:path";
import type { V4WorkerOptions as WorkerOptions } from "miniflare";
import type { WarningHandler } from "./client-reporter.js";
import { createClientReporter } from "./client-reporter.js";
import type { AccessCredentialsByHost } from "./resolve-credentials.js";
import type { AccessCredentials } from "./credentials.js";
import {
  credentialsForUrl,
  resolveAccessCredentials,
  validateCredentials,
} from "./resolve-credentials.js";
import type { RemoteBindingOptions, RemoteBindingPlan } from "./remote-binding-plan.js";
import { invalidOption, parseRemoteUrl, planRemoteBindings } from "./remote-binding-plan.js";
import { withFacades } from "./miniflare-facades.js";
import { REPORTER_BINDING } from "./wire-protocol.js";

export type { RemoteBindingOptions } from "./remote-binding-plan.js";

export interface RemoteBindingsOptions {
  /** The proxy server, e.g. https://bindings-proxy.example.workers.dev */
  remoteUrl: string;
  bindings: Record<string, RemoteBindingOptions>;
  /** Defaults to resolveAccessCredentials(process.env). `null` sends none. */
  credentials?: AccessCredentials | AccessCredentialsByHost | null;
  /** Where warnings go (Access blocks, proxy client failures). Defaults to console.warn. */
  onWarning?: WarningHandler;
  /** Name of the proxy-client worker; change it to use several remotes in one Miniflare. */
  clientWorkerName?: string;
}

export interface RemoteBindings {
  /**
   * `worker` with a service binding per remote binding; when a binding needs a facade in the
   * worker's isolate (KV, R2, D1), its script also gets the facade modules (see the README).
   */
  apply(worker: WorkerOptions): WorkerOptions;
  /** The proxy-client worker; add it to Miniflare's `workers`. */
  readonly workers: WorkerOptions[];
  /** The tool-independent plan these options were built from. */
  readonly plan: RemoteBindingPlan;
}

function clientWorker(plan: RemoteBindingPlan, reporter: WorkerOptions["serviceBindings"]) {
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
    bindings: client.vars,
    serviceBindings: reporter,
    // In memory only; workerd closes the sessions when Miniflare is disposed.
    durableObjects: client.durableObjects,
  } satisfies WorkerOptions;
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
  const plan = planRemoteBindings({
    remoteUrl,
    bindings: options.bindings,
    credentials,
    clientWorkerName: options.clientWorkerName,
  });
  const reporter = { [REPORTER_BINDING]: createClientReporter(warn) };

  return {
    plan,
    workers: [clientWorker(plan, reporter)],
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
      return withFacades({ ...worker, serviceBindings } as WorkerOptions, plan.facades);
    },
  };
}
