import path from "node:path";
import { CliError } from "../cli-error.js";
import type { ConfigFile } from "./read-config-file.js";

interface BindingBase {
  /** The name in `env`. */
  name: string;
  /** `"remote": true`: the real binding on Cloudflare, through the remote proxy. */
  remote: boolean;
}

export type BindingConfig =
  | (BindingBase & { type: "service"; service: string; entrypoint?: string })
  | (BindingBase & { type: "kv"; id?: string })
  | (BindingBase & { type: "r2"; bucketName?: string })
  | (BindingBase & { type: "d1"; databaseName?: string; databaseId?: string })
  | (BindingBase & { type: "ai" })
  | (BindingBase & { type: "vectorize"; indexName: string });

export interface WorkerConfig {
  configPath: string;
  name: string;
  /** Absolute path of the entry module. */
  main: string;
  compatibilityDate: string;
  compatibilityFlags: string[];
  vars: Record<string, unknown>;
  bindings: BindingConfig[];
}

// Wrangler binding keys that `access-bridge dev` does not run; naming them beats ignoring them.
const UNSUPPORTED_BINDING_KEYS = [
  "durable_objects",
  "queues",
  "hyperdrive",
  "analytics_engine_datasets",
  "browser",
  "images",
  "dispatch_namespaces",
  "send_email",
  "workflows",
  "mtls_certificates",
  "pipelines",
  "secrets_store_secrets",
  "version_metadata",
  "unsafe",
];
const SUPPORTED = "services, kv_namespaces, r2_buckets, d1_databases, ai, vectorize";
const BINDING_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

class ConfigReader {
  constructor(private readonly file: string) {}

  fail(at: string, message: string): never {
    throw new CliError("ERR_CONFIG_INVALID", `${this.file}: ${at} ${message}`);
  }

  string(value: unknown, at: string): string {
    if (typeof value !== "string" || value === "") this.fail(at, "must be a non-empty string.");
    return value;
  }

  optionalString(value: unknown, at: string): string | undefined {
    return value === undefined ? undefined : this.string(value, at);
  }

  remote(value: unknown, at: string): boolean {
    if (value === undefined) return false;
    if (typeof value !== "boolean") this.fail(at, "must be true or false.");
    return value;
  }

  bindingName(value: unknown, at: string): string {
    const name = this.string(value, at);
    if (!BINDING_NAME.test(name)) this.fail(at, `must be a JavaScript identifier, got "${name}".`);
    return name;
  }

  list(value: unknown, at: string): Record<string, unknown>[] {
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((item) => typeof item !== "object" || item === null)) {
      this.fail(at, "must be an array of objects.");
    }
    return value as Record<string, unknown>[];
  }
}

function readBindings(data: Record<string, unknown>, read: ConfigReader): BindingConfig[] {
  const bindings: BindingConfig[] = [];
  read.list(data.services, "services").forEach((item, i) => {
    const at = `services[${i}]`;
    bindings.push({
      type: "service",
      name: read.bindingName(item.binding, `${at}.binding`),
      service: read.string(item.service, `${at}.service`),
      ...(item.entrypoint === undefined
        ? {}
        : { entrypoint: read.string(item.entrypoint, `${at}.entrypoint`) }),
      remote: read.remote(item.remote, `${at}.remote`),
    });
  });
  read.list(data.kv_namespaces, "kv_namespaces").forEach((item, i) => {
    const at = `kv_namespaces[${i}]`;
    const id = read.optionalString(item.id, `${at}.id`);
    bindings.push({
      type: "kv",
      name: read.bindingName(item.binding, `${at}.binding`),
      ...(id === undefined ? {} : { id }),
      remote: read.remote(item.remote, `${at}.remote`),
    });
  });
  read.list(data.r2_buckets, "r2_buckets").forEach((item, i) => {
    const at = `r2_buckets[${i}]`;
    const bucketName = read.optionalString(item.bucket_name, `${at}.bucket_name`);
    bindings.push({
      type: "r2",
      name: read.bindingName(item.binding, `${at}.binding`),
      ...(bucketName === undefined ? {} : { bucketName }),
      remote: read.remote(item.remote, `${at}.remote`),
    });
  });
  read.list(data.d1_databases, "d1_databases").forEach((item, i) => {
    const at = `d1_databases[${i}]`;
    const databaseName = read.optionalString(item.database_name, `${at}.database_name`);
    const databaseId = read.optionalString(item.database_id, `${at}.database_id`);
    bindings.push({
      type: "d1",
      name: read.bindingName(item.binding, `${at}.binding`),
      ...(databaseName === undefined ? {} : { databaseName }),
      ...(databaseId === undefined ? {} : { databaseId }),
      remote: read.remote(item.remote, `${at}.remote`),
    });
  });
  if (data.ai !== undefined) {
    const ai = data.ai as Record<string, unknown>;
    if (typeof ai !== "object" || ai === null)
      read.fail("ai", 'must be an object like { "binding": "AI" }.');
    // Workers AI has no local simulation: it is always the remote one.
    bindings.push({ type: "ai", name: read.bindingName(ai.binding, "ai.binding"), remote: true });
  }
  read.list(data.vectorize, "vectorize").forEach((item, i) => {
    const at = `vectorize[${i}]`;
    bindings.push({
      type: "vectorize",
      name: read.bindingName(item.binding, `${at}.binding`),
      indexName: read.string(item.index_name, `${at}.index_name`),
      // Vectorize has no local simulation either.
      remote: true,
    });
  });
  return bindings;
}

/** Validates what `access-bridge dev` reads from a wrangler config; the rest is left alone. */
export function toWorkerConfig({ path: file, data }: ConfigFile): WorkerConfig {
  const read = new ConfigReader(file);
  for (const key of UNSUPPORTED_BINDING_KEYS) {
    if (data[key] !== undefined) {
      throw new CliError(
        "ERR_UNKNOWN_BINDING_TYPE",
        `${file}: the binding type "${key}" is not supported by access-bridge dev (it runs ${SUPPORTED}). Remove it, or run this Worker with wrangler dev.`,
      );
    }
  }
  const compatibilityDate = read.string(data.compatibility_date, "compatibility_date");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(compatibilityDate)) {
    read.fail("compatibility_date", `must look like "2026-04-01", got "${compatibilityDate}".`);
  }
  const flags = data.compatibility_flags ?? [];
  if (!Array.isArray(flags) || flags.some((flag) => typeof flag !== "string")) {
    read.fail("compatibility_flags", "must be an array of strings.");
  }
  const vars = data.vars ?? {};
  if (typeof vars !== "object" || vars === null || Array.isArray(vars)) {
    read.fail("vars", "must be an object of names to values.");
  }
  const bindings = readBindings(data, read);
  const seen = new Set<string>(Object.keys(vars));
  for (const binding of bindings) {
    if (seen.has(binding.name)) {
      read.fail(binding.name, "is bound twice; every binding and var needs its own name.");
    }
    seen.add(binding.name);
  }
  return {
    configPath: file,
    name: read.optionalString(data.name, "name") ?? "worker",
    main: path.resolve(path.dirname(file), read.string(data.main, "main")),
    compatibilityDate,
    compatibilityFlags: flags as string[],
    vars: vars as Record<string, unknown>,
    bindings,
  };
}
