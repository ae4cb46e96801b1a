// `access-bridge remote` in a process of its own, as a test suite runs it: the proxy server
// behind the Access emulator with stand-ins for the config's remote bindings, and the service
// token minted for it.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

export interface RemoteProcess {
  url: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

const CLI_BIN = path.join(
  path.dirname(createRequire(import.meta.url).resolve("access-bridge/package.json")),
  "dist",
  "bin.js",
);

export async function startRemoteProcess(configPath: string): Promise<RemoteProcess> {
  const child = spawn(process.execPath, [CLI_BIN, "remote", "-c", configPath], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const json = await new Promise<{ url: string; serviceToken: Record<string, string> }>(
    (resolve, reject) => {
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const line = output.split("\n").find((candidate) => candidate.startsWith("{"));
        if (line !== undefined && output.includes(`${line}\n`)) resolve(JSON.parse(line));
      });
      child.once("exit", (code) =>
        reject(new Error(`access-bridge remote exited (${code}) before it was ready`)),
      );
    },
  );
  return {
    url: json.url,
    clientId: json.serviceToken.clientId!,
    clientSecret: json.serviceToken.clientSecret!,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
