import { createHash } from "node:crypto";
import { readFile, readdir, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { AuthRelayError } from "./errors.js";
import { removeFile, writePrivateJson } from "./private-file.js";
import type { TokenSet } from "./token-endpoint.js";

/** What a login leaves behind for one issuer. */
export interface StoredLogin extends TokenSet {
  issuer: string;
  clientId: string;
  tokenEndpoint: string;
  revocationEndpoint?: string;
  obtainedAt: number;
}

/** `$ACCESS_BRIDGE_CONFIG_DIR`, else `$XDG_CONFIG_HOME/access-bridge`, else `~/.config/access-bridge`. */
export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.ACCESS_BRIDGE_CONFIG_DIR ??
    path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), ".config"), "access-bridge");
  return path.join(base, "tokens");
}

const POSIX = process.platform !== "win32";

/**
 * One file per issuer, created 0600 in a 0700 directory and replaced atomically (write a
 * private temp file, fsync, rename), so a reader never sees half a file and no other user
 * can ever read a token, not even during the write.
 */
export class TokenStore {
  constructor(readonly dir: string = defaultStoreDir()) {}

  fileFor(issuer: string): string {
    const name = createHash("sha256").update(issuer).digest("hex").slice(0, 32);
    return path.join(this.dir, `${name}.json`);
  }

  async read(issuer: string): Promise<StoredLogin | undefined> {
    return this.readFile(this.fileFor(issuer));
  }

  async write(login: StoredLogin): Promise<string> {
    const file = this.fileFor(login.issuer);
    await writePrivateJson(file, login);
    return file;
  }

  remove(issuer: string): Promise<boolean> {
    return removeFile(this.fileFor(issuer));
  }

  async list(): Promise<StoredLogin[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const logins = await Promise.all(
      names
        .filter((name) => name.endsWith(".json"))
        .map((name) => this.readFile(path.join(this.dir, name))),
    );
    return logins.filter((login): login is StoredLogin => login !== undefined);
  }

  private async readFile(file: string): Promise<StoredLogin | undefined> {
    const info = await stat(file).catch(() => undefined);
    if (!info) return undefined;
    if (POSIX && (info.mode & 0o077) !== 0) {
      throw new AuthRelayError("token_file_insecure", {
        what: `The token file ${file} is readable by other users (mode ${(info.mode & 0o777).toString(8)}).`,
        why: "Tokens in it may already have been read; it must be 0600.",
        fix: `Run \`access-bridge logout\` and log in again, or \`chmod 600 ${file}\` if you are sure.`,
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, "utf8"));
    } catch {
      parsed = undefined;
    }
    const login = parsed as Partial<StoredLogin> | undefined;
    if (
      typeof login?.issuer !== "string" ||
      typeof login.clientId !== "string" ||
      typeof login.accessToken !== "string" ||
      typeof login.tokenEndpoint !== "string"
    ) {
      throw new AuthRelayError("token_file_corrupt", {
        what: `The token file ${file} is not a stored login.`,
        why: "It was edited by hand or truncated by another program.",
        fix: `Delete ${file} and run \`access-bridge login\` again.`,
      });
    }
    return login as StoredLogin;
  }
}
