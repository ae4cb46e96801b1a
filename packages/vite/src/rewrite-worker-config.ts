// The app Worker's config, as the Cloudflare Vite plugin resolved it, rewritten in place: each
// binding access-bridge carries becomes a service binding, with props, to the proxy client.
// The config is wrangler's normalised one, whose sections have the same names and shapes as
// the file's, so the tool-neutral plan and section reading of @access-bridge/remote-bindings
// apply to it unchanged.
import {
  carriedBindings,
  planRemoteBindings,
  type CarriedBinding,
  type RemoteBindingPlan,
} from "@access-bridge/remote-bindings";

/** A Worker's config as plain data (the plugin's `WorkerConfig`). */
export type WorkerConfigData = Record<string, unknown>;

export interface RewriteOptions {
  remoteUrl: URL;
  clientWorkerName: string;
  /** Where errors point: the config file's name. */
  where: string;
}

export interface RewrittenWorker {
  plan: RemoteBindingPlan;
  carried: CarriedBinding[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Removes one declaration; the section itself stays, as the normalised config always has it. */
function removeDeclaration(config: WorkerConfigData, binding: CarriedBinding): void {
  const [head, tail] = binding.section.split(".") as [string, string | undefined];
  const parent = tail === undefined ? config : config[head];
  if (!isRecord(parent)) return;
  const field = tail ?? head;
  const value = parent[field];
  if (Array.isArray(value)) {
    parent[field] = value.filter((entry) => entry !== binding.declaration);
  } else if (value === binding.declaration) {
    parent[field] = undefined;
  }
}

export function rewriteWorkerConfig(
  config: WorkerConfigData,
  options: RewriteOptions,
): RewrittenWorker | undefined {
  const carried = carriedBindings(config, options.where);
  if (carried.length === 0) return undefined;
  const plan = planRemoteBindings({
    remoteUrl: options.remoteUrl,
    bindings: Object.fromEntries(carried.map((binding) => [binding.name, { type: binding.type }])),
    clientWorkerName: options.clientWorkerName,
    optionsName: options.where,
  });
  for (const binding of carried) removeDeclaration(config, binding);
  config.services = [
    ...(Array.isArray(config.services) ? config.services : []),
    ...Object.entries(plan.serviceBindings).map(([binding, { service, props }]) => ({
      binding,
      service,
      props,
    })),
  ];
  return { plan, carried };
}
