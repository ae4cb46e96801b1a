import os from "node:os";
import path from "node:path";
import {
  describeUnusable,
  firstReports,
  PrivateJsonStore,
  type UnusableFile,
} from "./private-json-store.js";
import type { TokenSet } from "./token-endpoint.js";

/** What a login leaves behind for one issuer, or for one remote (a proxy server in OAuth mode). */
export interface StoredLogin extends TokenSet {
  issuer: string;
  /** The remote this login is for (`login --remote`); stored and looked up by it. */
  remote?: string;
  clientId: string;
  tokenEndpoint: string;
  revocationEndpoint?: string;
  obtainedAt: number;
}

/** `$ACCESS_BRIDGE_CONFIG_DIR`, else `$XDG_CONFIG_HOME/access-bridge`, else `~/.config/access-bridge`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.ACCESS_BRIDGE_CONFIG_DIR ??
    path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), ".config"), "access-bridge")
  );
}

/** `<config>/tokens`: where OAuth logins are stored. */
export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), "tokens");
}

export interface TokenStoreOptions {
  /**
   * Told about each unusable file once per process (it is then treated as absent). Prints
   * `▲ <message>` to stderr by default.
   */
  onUnusable?: (message: string, problem: UnusableFile) => void;
}

/**
 * The key a login is stored under: its issuer, or `remote <url>` for a remote, so a remote
 * whose issuer is its own origin never shares a file with a plain `--issuer` login.
 */
export function loginKey(target: { issuer?: string; remote?: string }): string {
  return target.remote !== undefined ? `remote ${target.remote}` : (target.issuer ?? "");
}

/** OAuth logins, one private file per issuer or remote (see {@link PrivateJsonStore}). */
export class TokenStore {
  private readonly files: PrivateJsonStore<StoredLogin>;
  private readonly onUnusable: (message: string, problem: UnusableFile) => void;

  constructor(
    readonly dir: string = defaultStoreDir(),
    options: TokenStoreOptions = {},
  ) {
    this.files = new PrivateJsonStore(dir, parseStoredLogin);
    this.onUnusable = options.onUnusable ?? printWarning;
  }

  /** `key`: an issuer, or {@link loginKey} of a remote. */
  fileFor(key: string): string {
    return this.files.fileFor(key);
  }

  /** The login under `key` (an issuer, or {@link loginKey}); undefined when absent or unusable. */
  async read(key: string): Promise<StoredLogin | undefined> {
    const { entry, unusable } = this.files.read(key);
    this.report(unusable ? [unusable] : []);
    return entry;
  }

  write(login: StoredLogin): Promise<string> {
    return this.files.write(loginKey(login), login);
  }

  /** Deletes the file under `key`, usable or not. */
  remove(key: string): Promise<boolean> {
    return this.files.remove(key);
  }

  async list(): Promise<StoredLogin[]> {
    const { entries, unusable } = this.files.list();
    this.report(unusable);
    return entries;
  }

  /** Every file that holds no usable login, for `logout` to delete. */
  unusable(): UnusableFile[] {
    return this.files.list().unusable;
  }

  removeFile(file: string): Promise<boolean> {
    return this.files.removeFile(file);
  }

  private report(unusable: UnusableFile[]): void {
    for (const problem of firstReports(unusable)) {
      this.onUnusable(describeUnusable(problem, "`access-bridge login` again"), problem);
    }
  }
}

function parseStoredLogin(value: unknown): StoredLogin | undefined {
  const login = value as Partial<StoredLogin> | null;
  return typeof login?.issuer === "string" &&
    typeof login.clientId === "string" &&
    typeof login.accessToken === "string" &&
    typeof login.tokenEndpoint === "string" &&
    (login.remote === undefined || typeof login.remote === "string")
    ? (login as StoredLogin)
    : undefined;
}

export function printWarning(message: string): void {
  process.stderr.write(`▲ ${message}\n`);
}
