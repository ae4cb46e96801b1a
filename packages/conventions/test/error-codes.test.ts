// Every package's errors are AccessBridgeErrors with a closed set of codes (issue 19): no error
// class of a package extends plain Error, and each code a package declares is thrown somewhere
// in its source, so a dead code cannot linger in a list that callers read as the API.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const PACKAGES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Errors that never leave the Worker they are thrown in, so that no caller matches on them: the
 * proxy server turns their text into the wire protocol's plain-text 400/500 body, and the proxy
 * client turns an upgrade's timeout into an ERR_REMOTE_UNREACHABLE of its own.
 */
const INTERNAL_ERRORS = new Set(["MisconfiguredError", "BadRequestError", "UpgradeTimeout"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

const packages = readdirSync(PACKAGES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => {
    const files = sourceFiles(path.join(PACKAGES, entry.name, "src"));
    return {
      name: entry.name,
      sources: files.map((file) => ({
        file: path.relative(PACKAGES, file),
        text: readFileSync(file, "utf8"),
      })),
    };
  })
  .filter((pkg) => pkg.sources.length > 0);

/** `export const X_ERROR_CODES = ["ERR_A", …] as const` of each package, with the file of each. */
const codeLists = packages.flatMap((pkg) =>
  pkg.sources.flatMap(({ file, text }) =>
    [...text.matchAll(/export const (\w*ERROR_CODES) = \[([\s\S]*?)\] as const/g)].map(
      ([, list, body]) => ({
        pkg,
        file,
        list: list!,
        codes: [...body!.matchAll(/"(ERR_[A-Z0-9_]+)"/g)].map(([, code]) => code!),
      }),
    ),
  ),
);

describe("one error base class", () => {
  it.each(packages.map((pkg) => [pkg.name, pkg] as const))(
    "%s: no error class extends plain Error",
    (_name, pkg) => {
      const plain = pkg.sources.flatMap(({ file, text }) =>
        [...text.matchAll(/class (\w+) extends Error\b/g)]
          .map(([, name]) => name!)
          .filter((name) => !INTERNAL_ERRORS.has(name))
          .map((name) => `${file}: ${name}`),
      );
      expect(plain, "extend AccessBridgeError from @access-bridge/conventions").toEqual([]);
    },
  );

  it.each(packages.map((pkg) => [pkg.name, pkg] as const))(
    "%s: each AccessBridgeError subclass has a declared list of codes",
    (_name, pkg) => {
      const subclasses = pkg.sources.filter(({ text }) =>
        /class \w+ extends AccessBridgeError</.test(text),
      );
      if (subclasses.length === 0) return;
      expect(codeLists.filter((list) => list.pkg === pkg).length).toBeGreaterThan(0);
    },
  );
});

describe("no dead error code", () => {
  it("finds the code lists", () => {
    expect(codeLists.map(({ list }) => list).sort()).toEqual(
      expect.arrayContaining([
        "AUTH_RELAY_ERROR_CODES",
        "CLI_ERROR_CODES",
        "DEV_SESSION_ERROR_CODES",
      ]),
    );
    expect(codeLists.length).toBeGreaterThanOrEqual(7);
  });

  it.each(codeLists.map((list) => [`${list.pkg.name} ${list.list}`, list] as const))(
    "%s: each code is used outside its list",
    (_name, { pkg, file, codes }) => {
      expect(codes.length).toBeGreaterThan(0);
      const elsewhere = pkg.sources.filter((source) => source.file !== file);
      const dead = codes.filter(
        (code) => !elsewhere.some(({ text }) => text.includes(`"${code}"`)),
      );
      expect(dead, `declared in ${file} but never thrown`).toEqual([]);
    },
  );
});
