// Where the bindings of a wrangler config live, and which of them access-bridge carries. A raw
// config (what `experimental_readRawConfig` returns) has the same binding sections at the top
// level and in each `env.<name>`; they are not inherited, so each section is read on its own.
import type { RemoteBindingType } from "../../shared/binding-types.js";
import { WRANGLER_SECTIONS } from "../../shared/binding-types.js";
import { RemoteBindingsError } from "../../shared/errors.js";

/** A wrangler config, or one `env.<name>` of it, as parsed from the file. */
export type RawSection = Record<string, unknown>;

/**
 * Sections wrangler always runs remotely: they have no local simulator, so wrangler reaches the
 * real resource (and asks for a login) even without `"remote": true`. access-bridge carries them
 * the same way, so that wrangler never needs an account for them. `"remote": false` on one of
 * them is wrangler's own error, left for wrangler to report.
 */
export const ALWAYS_REMOTE_SECTIONS: ReadonlySet<string> = new Set([
  "ai",
  "ai_search",
  "ai_search_namespaces",
  "agent_memory",
  "analytics",
  "k2",
  "media",
  "vpc_networks",
  "vpc_services",
]);

/** One binding access-bridge carries to the remote. */
export interface CarriedBinding {
  /** Its name in `env`. */
  name: string;
  type: RemoteBindingType;
  /** The wrangler section it was declared in, e.g. "kv_namespaces" or "queues.producers". */
  section: string;
  /** The entry as written in the config (e.g. a service binding's `service`). */
  declaration: Readonly<Record<string, unknown>>;
}

interface SectionEntry {
  entry: Record<string, unknown>;
  /** Where the entry is, for messages: `kv_namespaces[0]`, `ai`. */
  at: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at a dotted section key ("queues.producers"), or undefined. */
function sectionValue(section: RawSection, key: string): unknown {
  let value: unknown = section;
  for (const part of key.split(".")) value = isRecord(value) ? value[part] : undefined;
  return value;
}

function entriesOf(section: RawSection, key: string): SectionEntry[] {
  const value = sectionValue(section, key);
  if (Array.isArray(value)) {
    return value.flatMap((entry, index) =>
      isRecord(entry) ? [{ entry, at: `${key}[${index}]` }] : [],
    );
  }
  return isRecord(value) ? [{ entry: value, at: key }] : [];
}

/** `send_email` names its bindings with `name`; every other section with `binding`. */
export function bindingNameOf(entry: Record<string, unknown>): unknown {
  return entry.binding ?? entry.name;
}

export function isCarried(key: string, entry: Record<string, unknown>): boolean {
  return entry.remote === true || (entry.remote === undefined && ALWAYS_REMOTE_SECTIONS.has(key));
}

/**
 * The bindings of one section that access-bridge carries: those marked `"remote": true`, and
 * those wrangler would run remotely anyway. A remote binding of a kind no proxy can carry
 * (Hyperdrive) stops here, with the reason and what to do instead.
 */
export function carriedBindings(section: RawSection, where: string): CarriedBinding[] {
  const carried: CarriedBinding[] = [];
  for (const [key, support] of Object.entries(WRANGLER_SECTIONS)) {
    for (const { entry, at } of entriesOf(section, key)) {
      if (!isCarried(key, entry)) continue;
      const name = bindingNameOf(entry);
      if (!support.carried) {
        throw new RemoteBindingsError(
          "ERR_UNSUPPORTED_BINDING",
          `${where}: ${at} is marked "remote": true, but ${support.why}`,
        );
      }
      if (typeof name !== "string" || name === "") continue; // wrangler reports it
      carried.push({ name, type: support.type, section: key, declaration: entry });
    }
  }
  return carried;
}

/** `section` without the carried bindings (a section left empty is removed). */
export function withoutCarried(section: RawSection): RawSection {
  const result: RawSection = structuredClone(section);
  for (const key of Object.keys(WRANGLER_SECTIONS)) {
    const [head, tail] = key.split(".") as [string, string | undefined];
    const parent = tail === undefined ? result : result[head];
    if (!isRecord(parent)) continue;
    const field = tail ?? head;
    const value = parent[field];
    if (Array.isArray(value)) {
      const kept = value.filter((entry) => !(isRecord(entry) && isCarried(key, entry)));
      if (kept.length > 0) parent[field] = kept;
      else delete parent[field];
    } else if (isRecord(value) && isCarried(key, value)) {
      delete parent[field];
    }
  }
  return result;
}

/** The carried bindings of each section: the top level (environment undefined), then each env. */
export function carriedBindingsByEnvironment(
  config: RawSection,
  where: string,
): { environment: string | undefined; carried: CarriedBinding[] }[] {
  const envs = isRecord(config.env) ? config.env : {};
  return [
    { environment: undefined, carried: carriedBindings(config, where) },
    ...Object.entries(envs).flatMap(([environment, section]) =>
      isRecord(section)
        ? [{ environment, carried: carriedBindings(section, `${where} env.${environment}`) }]
        : [],
    ),
  ];
}
