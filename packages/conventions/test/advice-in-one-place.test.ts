// Advice about credentials is written once, in remote-bindings' shared/advice.ts, which knows
// where the credential came from. Earlier, the same advice was worded three ways in as many
// packages, and two of them disagreed on the command. This test fails when a phrasing of that
// advice, or a hand-written header of the wire protocol, reappears in a package's source.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const ADVICE = "packages/remote-bindings/src/shared/advice.ts";
const WIRE_PROTOCOL = "packages/remote-bindings/src/shared/wire-protocol.ts";

/** What only advice.ts may say, and what only wire-protocol.ts may spell. */
const ONLY_IN: { pattern: RegExp; file: string; what: string }[] = [
  { pattern: /cloudflared access token --app/, file: ADVICE, what: "advice to run cloudflared" },
  { pattern: /is set but/, file: ADVICE, what: "the half-set service token advice" },
  { pattern: /service token needs both/i, file: ADVICE, what: "the half-set service token advice" },
  { pattern: /Sign in again with \$\{/, file: ADVICE, what: "sign-in advice" },
  { pattern: /["']MF-(Binding|URL|Header-|Forwarded)/, file: WIRE_PROTOCOL, what: "a wire header" },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|mts)$/.test(entry.name) ? [full] : [];
  });
}

it("each piece of credential advice, and each wire header, is spelled in one file only", () => {
  const packages = path.join(ROOT, "packages");
  // test-support is test code: it speaks the wire protocol by hand on purpose, as a client would.
  const names = readdirSync(packages).filter((name) => name !== "test-support");
  const files = names.flatMap((name) => {
    const src = path.join(packages, name, "src");
    try {
      return sourceFiles(src);
    } catch {
      return [];
    }
  });
  expect(files.length).toBeGreaterThan(50);
  const strays: string[] = [];
  for (const file of files) {
    const relative = path.relative(ROOT, file);
    const text = readFileSync(file, "utf8");
    for (const { pattern, file: home, what } of ONLY_IN) {
      if (relative !== home && pattern.test(text)) strays.push(`${relative}: ${what} (${pattern})`);
    }
  }
  expect(strays).toEqual([]);
});

it("advice.ts still holds each phrasing the check above looks for", () => {
  const text = readFileSync(path.join(ROOT, ADVICE), "utf8");
  for (const { pattern, file } of ONLY_IN) {
    if (file === ADVICE) expect(text).toMatch(pattern);
  }
});
