// Which Node can load the hooks of `access-bridge run` (register.ts): they need
// module.registerHooks, which Node added in 23.5.0 and backported to 22.15.0 (Node's changelog for
// both), so 22.12–22.14 and 23.0–23.4 lack it though wrangler runs on them. One decision, read by
// `access-bridge run` before it starts anything and by the hooks themselves.
import { PlatformProxyError } from "./errors.js";

/** Kept in step with `engines.node` of this package's package.json. */
export const REGISTER_HOOKS_NODE_RANGE = ">=22.15.0 <23 || >=23.5.0";

function parse(version: string): [number, number] {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  return [major, minor];
}

export function nodeHasRegisterHooks(version: string): boolean {
  const [major, minor] = parse(version);
  if (major === 22) return minor >= 15;
  if (major === 23) return minor >= 5;
  return major > 23;
}

/** Throws, saying what to install, when `version` cannot run the hooks. */
export function assertNodeCanRegisterHooks(version = process.versions.node): void {
  if (!nodeHasRegisterHooks(version)) throw nodeVersionError(version);
}

export function nodeVersionError(version = process.versions.node): PlatformProxyError {
  return new PlatformProxyError(
    "ERR_NODE_VERSION",
    `access-bridge run needs Node 22.15 or newer (23.5 or newer on Node 23); this is Node ${version.replace(/^v/, "")}. It hands your dev server its getPlatformProxy() through module hooks (module.registerHooks), which older Node does not have. Install a current Node 22 LTS (e.g. nvm install 22) and run again; access-bridge dev works on Node 22.12 as it is.`,
  );
}
