// `wrangler deploy` of the generated config, run as the user would run it: their wrangler, their
// login or API token, their account selection, all untouched. Its output is shown as it comes
// and kept, to find the URL wrangler reports.
import { spawn } from "node:child_process";
import type { ProjectWrangler } from "@access-bridge/dev-session";

export interface WranglerDeployResult {
  code: number;
  output: string;
}

export function runWranglerDeploy(
  wrangler: ProjectWrangler,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<WranglerDeployResult> {
  const child = spawn(process.execPath, [wrangler.bin, "deploy", ...args], {
    cwd: options.cwd,
    env: options.env,
    // wrangler may ask (which account, log in): the keyboard stays its own.
    stdio: ["inherit", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    process.stdout.write(chunk);
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    process.stderr.write(chunk);
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) =>
      resolve({ code: code ?? (signal === null ? 1 : 128), output }),
    );
  });
}

/** The workers.dev URL wrangler printed for the deployed Worker, if it printed one. */
export function deployedUrl(output: string, workerName: string): string | undefined {
  const escaped = workerName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`https://${escaped}\\.[a-z0-9-]+\\.workers\\.dev`, "i").exec(output)?.[0];
}
