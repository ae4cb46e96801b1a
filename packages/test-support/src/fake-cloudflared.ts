import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { onTestFinished } from "vitest";

/**
 * A stand-in `cloudflared` on a fresh PATH directory: a Node script that records its argv and
 * answers `access login` / `access token` like the real one. `loginExit` makes the login fail.
 */
export async function fakeCloudflared(options: { token: string; loginExit?: number }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "fake-cloudflared-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  const log = path.join(dir, "calls.log");
  const script = `#!${process.execPath}
const fs = require("node:fs");
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + "\\n");
if (args[1] === "login") {
  process.stderr.write("Please open the following URL and log in with your Cloudflare account\\n");
  process.stdout.write("Successfully fetched your token:\\n\\n${options.token}\\n");
  process.exit(${options.loginExit ?? 0});
}
if (args[1] === "token") process.stdout.write("${options.token}\\n");
`;
  await writeFile(path.join(dir, "cloudflared"), script);
  await chmod(path.join(dir, "cloudflared"), 0o755);
  return { env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH}` }, log };
}
