// What any tool needs to run remote bindings, independent of the tool: the proxy-client Worker
// to add beside the user's Worker, the service binding (with props) that replaces each remote
// binding, and which bindings need a facade in the user's isolate. The Miniflare API
// (remote-bindings.ts), the wrangler configs of `access-bridge dev` and the Vite plugin are all
// built from this one plan.
import type { RemoteBindingType } from "../shared/binding-types.js";
import type { CallBounds } from "../shared/call-bounds.js";
import { CALL_BOUNDS_BINDING, DEFAULT_CALL_BOUNDS, isBound } from "../shared/call-bounds.js";
import {
  FACADE_TYPES,
  isRemoteBindingType,
  REMOTE_BINDING_TYPES,
} from "../shared/binding-types.js";
import { WORKERS_COMPATIBILITY_DATE } from "./compatibility-date.js";
import { RemoteBindingsError } from "../shared/errors.js";
import type { AccessCredentialSource } from "../shared/advice.js";
import type { AccessCredentials } from "../shared/credentials.js";
import { PROXY_CLIENT_BUNDLE } from "./worker-bundles.js";
import type { ProxyClientProps } from "../shared/wire-protocol.js";
import {
  CREDENTIAL_BINDINGS,
  CREDENTIAL_SOURCE_BINDING,
  RPC_SESSION_HOST_CLASS,
  RPC_SESSIONS_BINDING,
} from "../shared/wire-protocol.js";
import { PROXY_SERVER_URL_HINT, proxyServerUrl } from "./proxy-server-url.js";

export interface RemoteBindingOptions {
  /** How the binding is carried; see the README's binding table. */
  type: RemoteBindingType;
  /** The binding's name on the proxy server, when it differs from the local name. */
  remoteName?: string;
  /**
   * Service bindings: `false` keeps the plain service binding, without the facade that pipelines
   * chains of calls (README, "Dependent chains"); needed to pass the binding to another service.
   */
  pipeline?: boolean;
}

export interface PlanOptions {
  /** The proxy server, e.g. https://bindings-proxy.example.workers.dev */
  remoteUrl: string | URL;
  bindings: Readonly<Record<string, RemoteBindingOptions>>;
  /** The credentials for this remote's host, already resolved; none sends none. */
  credentials?: AccessCredentials;
  /** Where `credentials` came from (or were looked for), for the advice; omitted: generic. */
  credentialSource?: AccessCredentialSource;
  /** How long the proxy client waits on the network (see call-bounds.ts); each one optional. */
  callBounds?: Partial<CallBounds>;
  /** Name of the proxy-client Worker; change it to use several remotes side by side. */
  clientWorkerName?: string;
  /** Where option errors point, e.g. "remoteBindings({ … })". */
  optionsName?: string;
}

/** The proxy-client Worker, described for any tool. */
export interface ProxyClientWorker {
  name: string;
  /** Its bundle: one ES module, no imports but `cloudflare:*`. */
  main: string;
  compatibilityDate: string;
  compatibilityFlags: string[];
  /** Durable Object namespaces (binding → class exported by `main`), in memory, no SQLite. */
  durableObjects: Record<string, string>;
  /**
   * Text bindings that carry the credentials. They belong to this Worker only: never give them
   * to the user's Worker, never print them, and delete any file that holds them after use.
   */
  vars: Record<string, string>;
  /**
   * Text bindings that hold no secret (the call bounds, where the credential came from): a
   * config file may hold them.
   */
  settings: Record<string, string>;
}

/** What replaces one remote binding in the user's Worker: a service binding with props. */
export interface RemoteServiceBinding {
  service: string;
  props: ProxyClientProps;
}

export interface RemoteBindingPlan {
  remoteUrl: URL;
  client: ProxyClientWorker;
  serviceBindings: Record<string, RemoteServiceBinding>;
  /** The bindings whose API needs the facade in the user's isolate (see user-entry.ts). */
  facades: Record<string, RemoteBindingType>;
  /**
   * Service bindings, whose facade only pipelines chains of calls (user-facades/service.ts): it
   * goes in wherever the Worker's entry is wrapped or can be, and is left out where it cannot be
   * (then the binding is the plain service binding, and a chain costs a round trip per call).
   */
  pipelineFacades: Record<string, "service">;
}

const BINDING_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function invalidOption(optionsName: string, path: string, why: string): RemoteBindingsError {
  return new RemoteBindingsError("ERR_INVALID_OPTION", `${optionsName}({ ${path} }) ${why}`);
}

export function parseRemoteUrl(value: unknown, optionsName: string): URL {
  const url = proxyServerUrl(value);
  if (url === undefined) {
    throw invalidOption(optionsName, "remoteUrl", `must be ${PROXY_SERVER_URL_HINT}.`);
  }
  return url;
}

function validateBinding(optionsName: string, name: string, value: RemoteBindingOptions): void {
  if (!BINDING_NAME.test(name)) {
    throw invalidOption(optionsName, `bindings.${name}`, "is not a valid binding name.");
  }
  if (!isRemoteBindingType(value?.type)) {
    const types = Object.keys(REMOTE_BINDING_TYPES).map((type) => `"${type}"`);
    throw invalidOption(
      optionsName,
      `bindings.${name}.type`,
      `must be one of ${types.join(", ")}.`,
    );
  }
  if (value.remoteName !== undefined && !BINDING_NAME.test(value.remoteName)) {
    throw invalidOption(optionsName, `bindings.${name}.remoteName`, "is not a valid binding name.");
  }
  if (value.pipeline !== undefined && typeof value.pipeline !== "boolean") {
    throw invalidOption(optionsName, `bindings.${name}.pipeline`, "must be true or false.");
  }
}

/** `callBounds` checked where it enters, each bound named by its option path. */
export function validateCallBounds(
  value: unknown,
  optionsName: string,
): Partial<CallBounds> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidOption(optionsName, "callBounds", "must be an object of bounds in milliseconds.");
  }
  const known = Object.keys(DEFAULT_CALL_BOUNDS);
  const bounds: Partial<CallBounds> = {};
  for (const [key, bound] of Object.entries(value)) {
    if (!known.includes(key)) {
      throw invalidOption(
        optionsName,
        `callBounds.${key}`,
        `is not a bound; the bounds are ${known.join(", ")}.`,
      );
    }
    if (bound === undefined) continue;
    if (!isBound(bound)) {
      throw invalidOption(
        optionsName,
        `callBounds.${key}`,
        "must be a positive, finite number of milliseconds.",
      );
    }
    bounds[key as keyof CallBounds] = bound;
  }
  return bounds;
}

function credentialVars(credentials: AccessCredentials | undefined): Record<string, string> {
  if (credentials === undefined) return {};
  if ("token" in credentials) return { [CREDENTIAL_BINDINGS.USER_TOKEN]: credentials.token };
  return {
    [CREDENTIAL_BINDINGS.CLIENT_ID]: credentials.clientId,
    [CREDENTIAL_BINDINGS.CLIENT_SECRET]: credentials.clientSecret,
  };
}

export function planRemoteBindings(options: PlanOptions): RemoteBindingPlan {
  const optionsName = options.optionsName ?? "remoteBindings";
  const remoteUrl = parseRemoteUrl(options?.remoteUrl, optionsName);
  const bindings = options.bindings ?? {};
  if (Object.keys(bindings).length === 0) {
    throw invalidOption(optionsName, "bindings", "must name at least one remote binding.");
  }
  for (const [name, value] of Object.entries(bindings)) validateBinding(optionsName, name, value);
  const callBounds = validateCallBounds(options.callBounds, optionsName);

  const clientName = options.clientWorkerName ?? `access-bridge-proxy-client-${remoteUrl.host}`;
  const serviceBindings: Record<string, RemoteServiceBinding> = {};
  const facades: Record<string, RemoteBindingType> = {};
  const pipelineFacades: Record<string, "service"> = {};
  for (const [name, binding] of Object.entries(bindings)) {
    serviceBindings[name] = {
      service: clientName,
      props: { binding: binding.remoteName ?? name, type: binding.type, remoteUrl: remoteUrl.href },
    };
    if (FACADE_TYPES.has(binding.type)) facades[name] = binding.type;
    if (binding.type === "service" && binding.pipeline !== false) pipelineFacades[name] = "service";
  }

  return {
    remoteUrl,
    client: {
      name: clientName,
      main: PROXY_CLIENT_BUNDLE,
      compatibilityDate: WORKERS_COMPATIBILITY_DATE,
      // Inbound connect() handlers are still experimental in workerd (workerd#6059).
      compatibilityFlags: ["experimental"],
      // One capnweb session per remote binding, shared by all calls (rpc-session-host.ts).
      durableObjects: { [RPC_SESSIONS_BINDING]: RPC_SESSION_HOST_CLASS },
      vars: credentialVars(options.credentials),
      settings: {
        ...(callBounds === undefined || Object.keys(callBounds).length === 0
          ? {}
          : { [CALL_BOUNDS_BINDING]: JSON.stringify(callBounds) }),
        ...(options.credentialSource === undefined
          ? {}
          : { [CREDENTIAL_SOURCE_BINDING]: options.credentialSource }),
      },
    },
    serviceBindings,
    facades,
    pipelineFacades,
  };
}
