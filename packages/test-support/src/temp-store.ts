import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { onTestFinished } from "vitest";
import { TokenStore, type TokenStoreOptions } from "@access-bridge/auth-relay";

/** A token store in a fresh temporary directory, removed when the test ends. */
export async function tempStore(options?: TokenStoreOptions): Promise<TokenStore> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "auth-relay-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return new TokenStore(path.join(dir, "tokens"), options);
}
