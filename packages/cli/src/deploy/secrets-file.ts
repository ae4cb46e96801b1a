// Worker secrets set by the deploy itself, through the user's wrangler (`wrangler deploy
// --secrets-file`), without a secret on disk: the file holds references, `NAME=${VARIABLE}`,
// which wrangler expands from the environment it runs in, where the values are.
import path from "node:path";
import { writeIfChanged } from "@access-bridge/dev-session";

const PREFIX = "ACCESS_BRIDGE_SECRET_";

export function secretsFile(
  dir: string,
  secrets: Record<string, string>,
): { file: string; env: Record<string, string> } | undefined {
  const names = Object.keys(secrets).sort();
  if (names.length === 0) return undefined;
  const file = path.join(dir, "secrets.env");
  writeIfChanged(
    file,
    [
      "# Written by access-bridge deploy: names of variables, never their values.",
      ...names.map((name) => `${name}=\${${PREFIX}${name}}`),
      "",
    ].join("\n"),
  );
  return {
    file,
    env: Object.fromEntries(names.map((name) => [`${PREFIX}${name}`, secrets[name]!])),
  };
}
