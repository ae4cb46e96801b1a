// The deployable templates cannot import the constant, so this keeps them on it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { WORKERS_COMPATIBILITY_DATE } from "@access-bridge/conventions";

const packages = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

it.each([
  "remote-bindings/wrangler.jsonc",
  "remote-bindings/oauth.wrangler.jsonc",
  "auth-relay/wrangler.jsonc",
])("%s uses the one compatibility date", (template) => {
  const text = readFileSync(path.join(packages, template), "utf8");
  expect(/"compatibility_date":\s*"([^"]+)"/.exec(text)?.[1]).toBe(WORKERS_COMPATIBILITY_DATE);
});
