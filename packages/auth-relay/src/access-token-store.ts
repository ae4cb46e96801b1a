import path from "node:path";
import { decodeJwt } from "jose";
import {
  describeUnusable,
  firstReports,
  PrivateJsonStore,
  type UnusableFile,
} from "./private-json-store.js";
import { configDir } from "./token-store.js";

/** An Access user token that `access-bridge login --access <host>` obtained through cloudflared. */
export interface StoredAccessToken {
  /** `name.workers.dev`, or `host:port`, lower case: the key credentials are looked up by. */
  host: string;
  token: string;
  /** From the token's `exp` claim (read, not verified: Access verifies it), in ms. */
  expiresAt?: number;
  obtainedAt: number;
}

/** `<config>/access`, beside the OAuth logins in `<config>/tokens`. */
export function accessTokenDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), "access");
}

/** Cloudflare Access user tokens, one private file per host (see {@link PrivateJsonStore}). */
export class AccessTokenStore {
  private readonly files: PrivateJsonStore<StoredAccessToken>;

  constructor(readonly dir: string = accessTokenDir()) {
    this.files = new PrivateJsonStore(dir, parseStoredAccessToken);
  }

  fileFor(host: string): string {
    return this.files.fileFor(host.toLowerCase());
  }

  async write(host: string, token: string): Promise<StoredAccessToken & { file: string }> {
    const expiresAt = jwtExpiry(token);
    const entry: StoredAccessToken = {
      host: host.toLowerCase(),
      token,
      ...(expiresAt === undefined ? {} : { expiresAt }),
      obtainedAt: Date.now(),
    };
    const file = await this.files.write(entry.host, entry);
    return { ...entry, file };
  }

  /** Deletes the file for `host`, usable or not. */
  remove(host: string): Promise<boolean> {
    return this.files.remove(host.toLowerCase());
  }

  /**
   * Every usable token, and in `skipped` the unusable files not yet reported in this process:
   * the caller tells the user about those (see {@link describeSkipped}); one bad file must not
   * stop `dev` for every other host.
   */
  listSync(): { tokens: StoredAccessToken[]; skipped: UnusableFile[] } {
    const { entries, unusable } = this.files.list();
    return { tokens: entries, skipped: firstReports(unusable) };
  }

  /** Every file that holds no usable token, for `logout` to delete. */
  unusable(): UnusableFile[] {
    return this.files.list().unusable;
  }

  removeFile(file: string): Promise<boolean> {
    return this.files.removeFile(file);
  }
}

function parseStoredAccessToken(value: unknown): StoredAccessToken | undefined {
  const entry = value as Partial<StoredAccessToken> | null;
  return typeof entry?.host === "string" && typeof entry.token === "string" && entry.token !== ""
    ? (entry as StoredAccessToken)
    : undefined;
}

/** The `exp` claim of a JWT, in ms; undefined when the token is not a JWT with a numeric exp. */
export function jwtExpiry(token: string): number | undefined {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === "number" ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** The warning line for a file `listSync` left out. */
export function describeSkipped(problem: UnusableFile): string {
  return describeUnusable(problem, "`access-bridge login --access <host>`");
}
