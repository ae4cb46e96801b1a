import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { defaultStoreDir, removeFile, writePrivateJson } from "@access-bridge/auth-relay";

/** An Access user token that `access-bridge login --access <host>` obtained through cloudflared. */
export interface StoredAccessToken {
  /** `name.workers.dev`, or `host:port`: the key remote-bindings looks credentials up by. */
  host: string;
  token: string;
  /** From the token's `exp` claim (read, not verified: Access verifies it), in ms. */
  expiresAt?: number;
  obtainedAt: number;
}

/** Why a stored file was left out; never includes the token. */
export interface SkippedAccessToken {
  file: string;
  reason: "insecure" | "corrupt";
}

const POSIX = process.platform !== "win32";

/**
 * Beside the OAuth token store of `@access-bridge/auth-relay` (`<config>/tokens`), in
 * `<config>/access`, with the same guarantees: a 0700 directory, 0600 files written to a private
 * temp file and renamed, and a file other users can read is refused.
 */
export function accessTokenDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(path.dirname(defaultStoreDir(env)), "access");
}

export class AccessTokenStore {
  constructor(readonly dir: string = accessTokenDir()) {}

  fileFor(host: string): string {
    const name = createHash("sha256").update(host.toLowerCase()).digest("hex").slice(0, 32);
    return path.join(this.dir, `${name}.json`);
  }

  async write(host: string, token: string): Promise<StoredAccessToken & { file: string }> {
    const expiresAt = jwtExpiry(token);
    const entry: StoredAccessToken = {
      host: host.toLowerCase(),
      token,
      ...(expiresAt === undefined ? {} : { expiresAt }),
      obtainedAt: Date.now(),
    };
    const file = this.fileFor(host);
    await writePrivateJson(file, entry);
    return { ...entry, file };
  }

  remove(host: string): Promise<boolean> {
    return removeFile(this.fileFor(host));
  }

  /**
   * Synchronous, because `dev` and `doctor` resolve credentials while they start. Unusable files
   * are reported, not thrown: one bad file must not stop `dev` for every other host.
   */
  listSync(): { tokens: StoredAccessToken[]; skipped: SkippedAccessToken[] } {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((name) => name.endsWith(".json"));
    } catch {
      return { tokens: [], skipped: [] };
    }
    const tokens: StoredAccessToken[] = [];
    const skipped: SkippedAccessToken[] = [];
    for (const name of names) {
      const file = path.join(this.dir, name);
      const result = readEntry(file);
      if (typeof result === "string") skipped.push({ file, reason: result });
      else if (result !== undefined) tokens.push(result);
    }
    return { tokens, skipped };
  }
}

function readEntry(file: string): StoredAccessToken | "insecure" | "corrupt" | undefined {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    return undefined;
  }
  if (POSIX && (mode & 0o077) !== 0) return "insecure";
  let parsed: Partial<StoredAccessToken> | undefined;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<StoredAccessToken>;
  } catch {
    return "corrupt";
  }
  if (typeof parsed?.host !== "string" || typeof parsed.token !== "string" || !parsed.token) {
    return "corrupt";
  }
  return parsed as StoredAccessToken;
}

/** The `exp` claim of a JWT, in ms; undefined when the token is not a JWT with a numeric exp. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      exp?: unknown;
    };
    return typeof claims.exp === "number" ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** `--access proxy.example.workers.dev` or `--access https://proxy.example.workers.dev/`. */
export function accessAppUrl(value: string): URL | undefined {
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);
    return url.hostname ? url : undefined;
  } catch {
    return undefined;
  }
}

/** A warning line for a file `listSync` left out. */
export function describeSkipped({ file, reason }: SkippedAccessToken): string {
  return reason === "insecure"
    ? `Ignoring ${file}: other users can read it, so its token may already be exposed. Delete it and run access-bridge login --access <host> again.`
    : `Ignoring ${file}: it is not a stored Access token (edited or truncated). Delete it and run access-bridge login --access <host> again.`;
}
