// access-bridge as a user gets it: every public package packed with `npm pack` (so `files`,
// `exports`, `bin`, `engines` and dependencies are what the registry would serve), installed into
// a project created outside the repository, with no workspace link in sight. The tarballs are
// made once per test run and shared by every test file; a project is made per caller.
import { execFile, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
/** Set by scripts/test-guards.ts: one value per `vitest run`, shared by its test files. */
const RUN_MARKER = "ACCESS_BRIDGE_TEST_RUN";
const PACK_TIMEOUT_MS = 5 * 60_000;
const INSTALL_TIMEOUT_MS = 10 * 60_000;

const execFileAsync = promisify(execFile);

interface Manifest {
  name: string;
  private?: boolean;
}

/** The packages a user can install: packages/* that are not private. */
export function publicPackages(): { name: string; dir: string }[] {
  const parent = path.join(REPO_ROOT, "packages");
  return readdirSync(parent, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(parent, entry.name))
    .filter((dir) => existsSync(path.join(dir, "package.json")))
    .map((dir) => ({ dir, manifest: readJson<Manifest>(path.join(dir, "package.json")) }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => ({ name: manifest.name, dir }));
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

export interface PackedTarballs {
  dir: string;
  /** Package name → absolute path of its tarball. */
  byName: Record<string, string>;
}

/** The npm a test runs: the one beside the Node that runs the tests (Node 22, see README). */
function npmCommand(): string[] {
  const beside = path.join(path.dirname(process.execPath), "npm");
  return existsSync(beside) ? [beside] : ["npm"];
}

/**
 * Packs every public package, once per test run: the first caller packs into a folder of the
 * run's temp folder (removed with it by the test guard), the others wait for its `done` mark.
 * Packs what is built: `npm run build` (part of `npm test`) must have run.
 */
export async function packPublicPackages(): Promise<PackedTarballs> {
  const packages = publicPackages();
  const unbuilt = packages.filter(({ dir }) => !existsSync(path.join(dir, "dist")));
  if (unbuilt.length > 0) {
    throw new Error(
      `Cannot pack ${unbuilt.map((one) => one.name).join(", ")}: no dist/ folder. Run \`npm run build\` first (npm test does).`,
    );
  }
  const run = process.env[RUN_MARKER];
  const dir =
    run === undefined
      ? mkdtempSync(path.join(tmpdir(), "packed-tarballs-"))
      : path.join(tmpdir(), `packed-tarballs-${run}`);
  const done = path.join(dir, "done.json");
  let packer = run === undefined;
  if (!packer) {
    try {
      mkdirSync(dir);
      packer = true;
    } catch {
      // Another test file of this run packs (or has packed): wait for it below.
    }
  }
  if (packer) {
    const [npm, ...npmArgs] = npmCommand();
    const { stdout } = await execFileAsync(
      npm!,
      [
        ...npmArgs,
        "pack",
        "--json",
        "--pack-destination",
        dir,
        ...packages.flatMap((one) => ["--workspace", path.relative(REPO_ROOT, one.dir)]),
      ],
      { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024, timeout: PACK_TIMEOUT_MS },
    );
    const packed = JSON.parse(stdout) as { name: string; filename: string }[];
    const byName = Object.fromEntries(
      packed.map((one) => [one.name, path.join(dir, path.basename(one.filename))]),
    );
    await writeFile(done, JSON.stringify(byName));
    return { dir, byName };
  }
  const deadline = Date.now() + PACK_TIMEOUT_MS;
  while (!existsSync(done)) {
    if (Date.now() > deadline) throw new Error(`No tarballs in ${dir} after waiting for them.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { dir, byName: readJson<Record<string, string>>(done) };
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface PackedProjectOptions {
  /** A folder copied as the project (its package.json, if any, is kept and extended). */
  template: string;
  /** Our packages, by name, that the user installs (`npm install -D <name>`). */
  install: string[];
  /** Other packages and versions installed beside them: the user's tools, `{ wrangler: "4.123.0" }`. */
  tools?: Record<string, string>;
  /** Extra environment for npm (the sandbox of the caller, for instance). */
  env?: NodeJS.ProcessEnv;
}

export interface PackedProject {
  /** The project's folder, outside the repository; removed by dispose(). */
  dir: string;
  /** Runs `npm <args>` in the project (`npm("exec", "--", "access-bridge", "--version")`). */
  npm(args: string[], env?: NodeJS.ProcessEnv): Promise<CommandResult>;
  /** The installed version of a package in the project. */
  installedVersion(name: string): string;
  /** Every copy of a package in node_modules, nested ones included: `[{ path, version }]`. */
  copiesOf(name: string): { path: string; version: string }[];
  /** How big node_modules is and how many packages it holds. */
  footprint(): Promise<{ bytes: number; packages: number }>;
  dispose(): Promise<void>;
}

function runCommand(
  command: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const [executable, ...args] = command;
    const child = spawn(executable!, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * A project outside the repository (under the temp folder) made from `template`, with our
 * packages installed from their tarballs as `npm install -D <name>` would install them from the
 * registry: the packages it names are its devDependencies, and our other packages they depend on
 * come from the tarballs too (npm `overrides`), never from a workspace link. Tools come from the
 * registry (the npm cache first).
 */
export async function createPackedProject(options: PackedProjectOptions): Promise<PackedProject> {
  const tarballs = await packPublicPackages();
  const dir = mkdtempSync(path.join(tmpdir(), "access-bridge-packed-project-"));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    cpSync(options.template, dir, {
      recursive: true,
      filter: (file) => !/[\\/](node_modules|\.wrangler)([\\/]|$)/.test(file),
    });
    const manifestPath = path.join(dir, "package.json");
    const manifest: Record<string, unknown> = existsSync(manifestPath)
      ? readJson(manifestPath)
      : { name: "packed-install-project", private: true, type: "module" };
    const missing = options.install.filter((name) => tarballs.byName[name] === undefined);
    if (missing.length > 0) {
      throw new Error(`No tarball for ${missing.join(", ")}: not a public package of this repo.`);
    }
    // The tarballs of what the user does not name themselves stand in for registry versions.
    manifest.overrides = Object.fromEntries(
      Object.entries(tarballs.byName)
        .filter(([name]) => !options.install.includes(name))
        .map(([name, file]) => [name, `file:${file}`]),
    );
    await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...options.env,
      npm_config_audit: "false",
      npm_config_fund: "false",
      npm_config_update_notifier: "false",
      npm_config_prefer_offline: "true",
      npm_config_loglevel: "error",
    };
    const npm = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
      runCommand([...npmCommand(), ...args], dir, { ...env, ...extra }, INSTALL_TIMEOUT_MS);
    const installed = await npm([
      "install",
      "--save-dev",
      ...options.install.map((name) => tarballs.byName[name]!),
      ...Object.entries(options.tools ?? {}).map(([name, version]) => `${name}@${version}`),
    ]);
    if (installed.code !== 0) {
      throw new Error(
        `npm install in the packed project failed (exit ${installed.code}):\n${installed.stderr}${installed.stdout}`,
      );
    }
    return {
      dir,
      npm,
      installedVersion: (name) =>
        readJson<{ version: string }>(path.join(dir, "node_modules", name, "package.json")).version,
      copiesOf: (name) => copiesOf(path.join(dir, "node_modules"), name),
      footprint: () => footprint(path.join(dir, "node_modules")),
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

function copiesOf(nodeModules: string, name: string): { path: string; version: string }[] {
  const found: { path: string; version: string }[] = [];
  const visit = (folder: string) => {
    const candidate = path.join(folder, name, "package.json");
    if (existsSync(candidate)) {
      found.push({
        path: path.relative(nodeModules, path.dirname(candidate)),
        version: readJson<{ version: string }>(candidate).version,
      });
    }
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      const full = path.join(folder, entry.name);
      const packages = entry.name.startsWith("@")
        ? readdirSync(full).map((one) => path.join(full, one))
        : [full];
      for (const one of packages) {
        if (existsSync(path.join(one, "node_modules"))) visit(path.join(one, "node_modules"));
      }
    }
  };
  visit(nodeModules);
  return found;
}

async function footprint(nodeModules: string): Promise<{ bytes: number; packages: number }> {
  const { stdout } = await execFileAsync("du", ["-sb", nodeModules]);
  let packages = 0;
  const countIn = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      const full = path.join(folder, entry.name);
      if (entry.name.startsWith("@")) countIn(full);
      else if (existsSync(path.join(full, "package.json"))) {
        packages++;
        if (existsSync(path.join(full, "node_modules"))) countIn(path.join(full, "node_modules"));
      }
    }
  };
  countIn(nodeModules);
  return { bytes: Number(stdout.split(/\s/)[0]), packages };
}
