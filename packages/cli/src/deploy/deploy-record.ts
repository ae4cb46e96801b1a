// What was last deployed from this folder, so that a second run with nothing changed deploys
// nothing: a hash of the generated config and of the proxy-server bundle it uploads, per Worker.
// It holds no secret (the config holds none: ACCESS_AUD and the team domain are public).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { writeIfChanged } from "@access-bridge/dev-session";

export function deployFingerprint(configText: string, bundlePath: string): string {
  return createHash("sha256")
    .update(configText)
    .update("\0")
    .update(readFileSync(bundlePath))
    .digest("hex");
}

function recordFile(outDir: string, workerName: string): string {
  return path.join(outDir, "deployed", `${workerName}.json`);
}

export function lastDeployed(outDir: string, workerName: string): string | undefined {
  try {
    const record = JSON.parse(readFileSync(recordFile(outDir, workerName), "utf8")) as {
      fingerprint?: unknown;
    };
    return typeof record.fingerprint === "string" ? record.fingerprint : undefined;
  } catch {
    return undefined;
  }
}

export function recordDeployed(outDir: string, workerName: string, fingerprint: string): void {
  writeIfChanged(recordFile(outDir, workerName), `${JSON.stringify({ fingerprint }, null, 2)}\n`);
}
