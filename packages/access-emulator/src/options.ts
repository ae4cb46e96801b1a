import { randomBytes } from "node:crypto";
import type { V4WorkerOptions as WorkerOptions } from "miniflare";
import { parseDuration } from "./durations.js";
import { AccessEmulatorError } from "./errors.js";
import {
  resolveOidcOptions,
  type OidcApplicationOptions,
  type ResolvedOidcOptions,
} from "./oidc/oidc-options.js";

export type ApplicationType = "self_hosted" | "service_auth_only";

export interface AccessApplicationOptions {
  /**
   * `self_hosted`: people sign in (a missing credential is redirected to the login page) and
   * service tokens are accepted. `service_auth_only`: only service tokens; a missing
   * credential is answered 403.
   */
  type: ApplicationType;
  /** The `<team>` of `https://<team>.cloudflareaccess.com`. Default "access-bridge-emulator". */
  teamName?: string;
  /** The application audience tag. Default: 64 random hex characters, like a real one. */
  aud?: string;
  /** Emails allowed to sign in. With neither list, any email is allowed. */
  allowedEmails?: string[];
  /** Email domains allowed to sign in, such as "example.com". */
  allowedEmailDomains?: string[];
  /** How long a session (CF_Authorization, the assertion) lasts. Default "24h". */
  sessionDuration?: string;
}

export type AccessOrigin =
  | { url: string }
  | {
      /** The origin: a Worker in the emulator's own Miniflare. Named "origin" when unnamed. */
      worker: WorkerOptions;
      /** More Workers beside it, for the origin's service bindings. */
      extraWorkers?: WorkerOptions[];
    };

export interface AccessEmulatorOptions {
  origin: AccessOrigin;
  application: AccessApplicationOptions;
  /** Also emulate an Access for SaaS application with the OIDC protocol, on the same team. */
  oidc?: OidcApplicationOptions;
  /** Port on 127.0.0.1. Default 0: a free port is picked. */
  port?: number;
  /**
   * A folder that keeps the state of the origin Workers' KV, R2, D1 and Durable Objects across
   * starts (Miniflare's resourcePersistencePath). Default: in memory, gone at dispose().
   */
  persistTo?: string;
  /**
   * Service tokens it accepts from the start, as if createServiceToken() had made them: minted
   * (newServiceToken of @access-bridge/conventions) before it starts, so that a config can name
   * them while it starts.
   */
  serviceTokens?: readonly { clientId: string; clientSecret: string }[];
}

export interface ResolvedOptions {
  origin: AccessOrigin;
  type: ApplicationType;
  teamName: string;
  teamDomain: string;
  aud: string;
  allowedEmails: string[];
  allowedEmailDomains: string[];
  sessionSeconds: number;
  oidc: ResolvedOidcOptions | undefined;
  port: number;
  persistTo: string | undefined;
}

const TEAM_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function invalid(message: string): AccessEmulatorError {
  return new AccessEmulatorError("ERR_INVALID_OPTION", message);
}

function resolveOrigin(origin: unknown): AccessOrigin {
  if (typeof origin !== "object" || origin === null) {
    throw invalid(
      'origin is required: pass { url: "http://127.0.0.1:8787" } or { worker: { ... Miniflare worker options } }.',
    );
  }
  if ("url" in origin) {
    const { url } = origin as { url: unknown };
    let parsed: URL | undefined;
    try {
      parsed = new URL(String(url));
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
      throw invalid(
        `origin.url must be an absolute http(s) URL such as "http://127.0.0.1:8787", got ${JSON.stringify(url)}.`,
      );
    }
    return { url: parsed.href };
  }
  if ("worker" in origin && typeof origin.worker === "object" && origin.worker !== null) {
    if ("access" in origin.worker && origin.worker.access !== undefined) {
      throw invalid(
        "origin.worker.access is set by the emulator: the origin's ctx.access carries application.aud and the identity of each request's token. Remove it, and set application.aud to choose the audience.",
      );
    }
    return origin as AccessOrigin;
  }
  throw invalid(
    "origin must have either `url` (an upstream) or `worker` (Miniflare worker options).",
  );
}

function resolveEmails(value: unknown, optionPath: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string" || item === "")) {
    throw invalid(`${optionPath} must be an array of non-empty strings.`);
  }
  return value.map((item: string) => item.trim().toLowerCase());
}

export function resolveOptions(options: AccessEmulatorOptions): ResolvedOptions {
  if (typeof options !== "object" || options === null) {
    throw invalid("startAccessEmulator() needs an options object with `origin` and `application`.");
  }
  const origin = resolveOrigin(options.origin);
  const application = options.application as Partial<AccessApplicationOptions> | undefined;
  if (application?.type !== "self_hosted" && application?.type !== "service_auth_only") {
    throw invalid(
      `application.type must be "self_hosted" or "service_auth_only", got ${JSON.stringify(application?.type)}.`,
    );
  }
  const teamName = application.teamName ?? "access-bridge-emulator";
  if (!TEAM_NAME.test(teamName)) {
    throw invalid(
      `application.teamName must be a DNS label (lowercase letters, digits, hyphens), got ${JSON.stringify(teamName)}.`,
    );
  }
  const aud = application.aud ?? randomBytes(32).toString("hex");
  if (typeof aud !== "string" || !/^[A-Za-z0-9_-]{1,128}$/.test(aud)) {
    throw invalid(
      `application.aud must be a tag of letters, digits, "-" or "_", got ${JSON.stringify(aud)}.`,
    );
  }
  const allowedEmailDomains = resolveEmails(
    application.allowedEmailDomains,
    "application.allowedEmailDomains",
  ).map((domain) => domain.replace(/^@/, ""));
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw invalid(`port must be an integer from 0 to 65535, got ${JSON.stringify(options.port)}.`);
  }
  if (
    options.persistTo !== undefined &&
    (typeof options.persistTo !== "string" || options.persistTo === "")
  ) {
    throw invalid(
      `persistTo must be the path of a folder, got ${JSON.stringify(options.persistTo)}.`,
    );
  }
  return {
    origin,
    type: application.type,
    teamName,
    teamDomain: `https://${teamName}.cloudflareaccess.com`,
    aud,
    allowedEmails: resolveEmails(application.allowedEmails, "application.allowedEmails"),
    allowedEmailDomains,
    sessionSeconds: parseDuration(
      application.sessionDuration ?? "24h",
      "application.sessionDuration",
    ),
    oidc: options.oidc === undefined ? undefined : resolveOidcOptions(options.oidc),
    port,
    persistTo: options.persistTo,
  };
}
