// The Node API: wires remote bindings into Miniflare. Each binding becomes a service binding of
// the user worker to the one proxy-client worker, whose props say which remote binding it is.
import path from "node:path";
import type { V4WorkerOptions as WorkerOptions } from "miniflare";
import type { WarningHandler } from "./client-reporter.js";
import { createClientReporter } from "./client-reporter.js";
import { RemoteBindingsError } from "./errors.js";
import type { AccessCredentials, AccessCredentialsByHost } from "./resolve-credentials.js";
import {
  credentialsForUrl,
  resolveAccessCredentials,
  validateCredentials,
} from "./resolve-credentials.js";
import { PROXY_CLIENT_BUNDLE } from "./worker-bundles.js";
import {
  proxyClientServiceName,
  WRAPPED_KINDS,
  wrappedBinding,
  wrappedBindingsWorker,
} from "./wrapped-bindings.js";
import {
  CREDENTIAL_BINDINGS,
  REPORTER_BINDING,
  RPC_SESSION_HOST_CLASS,
  RPC_SESSIONS_BINDING,
} from "./wire-protocol.js";
import type { ProxyClientProps, RemoteBindingKind } from "./wire-protocol.js";

export interface RemoteBindingOptions {
  /**
   * "service": fetch(), RPC and connect(). "fetcher": fetch() only (AI, Vectorize, Images).
   * "kv", "r2", "d1": KV, R2 and D1 with their usual API (see the README for what works).
   */
  type: RemoteBindingKind;
  /** The binding's name on the proxy server, when it differs from the local name. */
  remoteName?: string;
  /** Vectorize only: the index name on Cloudflare. Default: the binding name. */
  indexName?: string;
  /** Target of connect() on runtimes that do not pass the address to the proxy client. */
  connectAddress?: string;
}

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
  /** `worker` with a service binding per remote binding added. */
  apply(worker: WorkerOptions): WorkerOptions;
  /** The proxy-client worker; add it to Miniflare's `workers`. */
  readonly workers: WorkerOptions[];
}

const COMPATIBILITY_DATE = "2026-04-01";
const REMOTE_BINDING_KINDS: RemoteBindingKind[] = [
  "service",
  "fetcher",
  "kv",
  "r2",
  "d1",
  "ai",
  "vectorize",
];
const BINDING_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function invalid(path: string, why: string): RemoteBindingsError {
  return new RemoteBindingsError("INVALID_OPTION", `remoteBindings({ ${path} }) ${why}`);
}

function parseRemoteUrl(value: unknown): URL {
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw invalid("remoteUrl", "must be the http(s) URL of the proxy server.");
  }
  return url;
}

function validateBinding(name: string, value: RemoteBindingOptions): void {
  if (!BINDING_NAME.test(name)) throw invalid(`bindings.${name}`, "is not a valid binding name.");
  if (!REMOTE_BINDING_KINDS.includes(value?.type)) {
    throw invalid(
      `bindings.${name}.type`,
      `must be one of ${REMOTE_BINDING_KINDS.map((kind) => `"${kind}"`).join(", ")}.`,
    );
  }
  if (value.connectAddress !== undefined && !/^[^\s:]+:\d+$/.test(value.connectAddress)) {
    throw invalid(`bindings.${name}.connectAddress`, 'must be "host:port".');
  }
}

function credentialBindings(credentials: AccessCredentials | undefined): Record<string, string> {
  if (credentials === undefined) return {};
  if ("token" in credentials) return { [CREDENTIAL_BINDINGS.USER_TOKEN]: credentials.token };
  return {
    [CREDENTIAL_BINDINGS.CLIENT_ID]: credentials.clientId,
    [CREDENTIAL_BINDINGS.CLIENT_SECRET]: credentials.clientSecret,
  };
}

export function remoteBindings(options: RemoteBindingsOptions): RemoteBindings {
  const remoteUrl = parseRemoteUrl(options?.remoteUrl);
  const bindings = options.bindings ?? {};
  if (Object.keys(bindings).length === 0)
    throw invalid("bindings", "must name at least one binding.");
  for (const [name, value] of Object.entries(bindings)) validateBinding(name, value);

  const warn: WarningHandler = options.onWarning ?? ((message) => console.warn(message));
  const all =
    options.credentials === undefined
      ? resolveAccessCredentials(process.env, { onWarning: (message) => warn(message) })
      : options.credentials;
  const credentials = credentialsForUrl(
    all !== null && !("byHost" in all) ? validateCredentials(all, "credentials") : all,
    remoteUrl,
  );
  const clientName = options.clientWorkerName ?? `access-bridge-proxy-client-${remoteUrl.host}`;

  const client: WorkerOptions = {
    name: clientName,
    modules: true,
    scriptPath: PROXY_CLIENT_BUNDLE,
    // Miniflare names modules relative to the working directory by default, and refuses a path
    // that climbs out of it, as the bundle does when the package sits above the project.
    modulesRoot: path.dirname(PROXY_CLIENT_BUNDLE),
    compatibilityDate: COMPATIBILITY_DATE,
    // Inbound connect() handlers are experimental in workerd (workerd#6059).
    compatibilityFlags: ["experimental"],
    bindings: credentialBindings(credentials),
    serviceBindings: { [REPORTER_BINDING]: createClientReporter(credentials, warn) },
    // One capnweb session per remote binding, shared by all calls (see rpc-session-host.ts). In
    // memory only; workerd closes the sessions when Miniflare is disposed.
    durableObjects: { [RPC_SESSIONS_BINDING]: RPC_SESSION_HOST_CLASS },
  };

  const wrapperName = `${clientName}-wrapped-bindings`;
  const wrapsAny = Object.values(bindings).some((binding) => WRAPPED_KINDS.has(binding.type));

  return {
    workers: wrapsAny ? [client, wrappedBindingsWorker(wrapperName)] : [client],
    apply(worker) {
      const serviceBindings = { ...worker.serviceBindings };
      const wrappedBindings = { ...worker.wrappedBindings };
      for (const [name, binding] of Object.entries(bindings)) {
        if (name in serviceBindings || name in wrappedBindings) {
          throw invalid(
            `bindings.${name}`,
            "clashes with a service binding the worker already has.",
          );
        }
        const props: ProxyClientProps = {
          binding: binding.remoteName ?? name,
          remoteUrl: remoteUrl.href,
          kind: binding.type,
          ...(binding.connectAddress ? { connectAddress: binding.connectAddress } : {}),
        };
        if (WRAPPED_KINDS.has(binding.type)) {
          serviceBindings[proxyClientServiceName(name)] = { name: clientName, props: { ...props } };
          wrappedBindings[name] = wrappedBinding(
            wrapperName,
            name,
            binding.type,
            binding.indexName,
          );
        } else {
          serviceBindings[name] = { name: clientName, props: { ...props } };
        }
      }
      return { ...worker, serviceBindings, wrappedBindings } as WorkerOptions;
    },
  };
}
