import { createHash, randomBytes } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";

/** A file in a store that holds no usable entry. Its contents are never read out. */
export interface UnusableFile {
  file: string;
  /** `insecure`: other users can read it. `corrupt`: not JSON, or not an entry of this store. */
  reason: "insecure" | "corrupt";
}

const POSIX = process.platform !== "win32";

/** Files already reported in this process, so each problem is told once, whoever reads it. */
const reported = new Set<string>();

/**
 * Of `unusable`, the files not reported before in this process; they count as reported from now
 * on, so whoever receives them must tell the user.
 */
export function firstReports(unusable: readonly UnusableFile[]): UnusableFile[] {
  return unusable.filter(({ file, reason }) => {
    const key = `${reason}:${file}`;
    if (reported.has(key)) return false;
    reported.add(key);
    return true;
  });
}

/**
 * Secrets on disk, one JSON file per key, for every token store of access-bridge. Files are
 * created 0600 in a 0700 directory and replaced atomically (a private temp file, fsync, rename),
 * so a reader never sees half a file and no other user can read one, not even mid-write,
 * whatever the umask. A file other users can read, or one that is not an entry, is treated as
 * absent (reads never throw for it) and listed in `unusable`, so `logout` can delete it.
 *
 * Reads are synchronous: `dev` and `doctor` resolve credentials while they start, and these
 * files are a few hundred bytes.
 */
export class PrivateJsonStore<T> {
  constructor(
    readonly dir: string,
    /** The entry a file holds, or undefined when its JSON is not one. */
    private readonly parse: (value: unknown) => T | undefined,
  ) {}

  /** One file per key; the name is a hash, so a key never becomes a path. */
  fileFor(key: string): string {
    const name = createHash("sha256").update(key).digest("hex").slice(0, 32);
    return path.join(this.dir, `${name}.json`);
  }

  /** The entry for `key`: absent, or unusable (then described in `unusable`). */
  read(key: string): { entry?: T; unusable?: UnusableFile } {
    return this.readFile(this.fileFor(key));
  }

  list(): { entries: T[]; unusable: UnusableFile[] } {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((name) => name.endsWith(".json"));
    } catch {
      return { entries: [], unusable: [] };
    }
    const entries: T[] = [];
    const unusable: UnusableFile[] = [];
    for (const name of names.sort()) {
      const result = this.readFile(path.join(this.dir, name));
      if (result.entry !== undefined) entries.push(result.entry);
      if (result.unusable !== undefined) unusable.push(result.unusable);
    }
    return { entries, unusable };
  }

  async write(key: string, entry: T): Promise<string> {
    const file = this.fileFor(key);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(entry, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return file;
  }

  /** Deletes the file for `key`, usable or not; says whether there was one. */
  remove(key: string): Promise<boolean> {
    return this.removeFile(this.fileFor(key));
  }

  /** Deletes one file of this store (an unusable one `list` reported); says whether it was there. */
  async removeFile(file: string): Promise<boolean> {
    if (path.resolve(path.dirname(file)) !== path.resolve(this.dir)) return false;
    const existed = exists(file);
    await rm(file, { force: true });
    return existed;
  }

  private readFile(file: string): { entry?: T; unusable?: UnusableFile } {
    let mode: number;
    try {
      mode = statSync(file).mode;
    } catch {
      return {};
    }
    if (POSIX && (mode & 0o077) !== 0) return { unusable: { file, reason: "insecure" } };
    let entry: T | undefined;
    try {
      entry = this.parse(JSON.parse(readFileSync(file, "utf8")));
    } catch {
      entry = undefined;
    }
    return entry === undefined ? { unusable: { file, reason: "corrupt" } } : { entry };
  }
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

/** A warning line for a file a store leaves out; `relogin` is the command that replaces it. */
export function describeUnusable({ file, reason }: UnusableFile, relogin: string): string {
  const what =
    reason === "insecure"
      ? "other users can read it, so the token in it may already be exposed"
      : "it is not a stored login (edited or truncated)";
  return `Ignoring ${file}: ${what}. Delete it (or run \`access-bridge logout\`), then run ${relogin}.`;
}
