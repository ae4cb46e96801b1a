// Which remote a dev session's bindings go to: the one the tool was given (a flag or an option),
// else ACCESS_BRIDGE_REMOTE_URL, else none, which means the embedded remote.
import { PROXY_SERVER_URL_HINT, proxyServerUrl } from "@access-bridge/remote-bindings";
import { DevSessionError } from "./dev-session-error.js";

/** The variable every tool reads the remote's URL from (`dev`, `doctor`, Vite, vitest). */
export const REMOTE_URL_VARIABLE = "ACCESS_BRIDGE_REMOTE_URL";

export interface GivenRemoteUrl {
  value: string | URL | undefined;
  /** How the user gave it, for the error: `--remote-url`, `accessBridge(…, { remoteUrl })`. */
  source: string;
}

/**
 * `given`, else ACCESS_BRIDGE_REMOTE_URL, else undefined (the embedded remote); an empty value
 * counts as none. Anything else that is not an absolute http(s) URL is an ERR_REMOTE_URL that
 * names where it came from.
 */
export function resolveRemoteUrl(
  given: GivenRemoteUrl,
  env: Record<string, string | undefined>,
): URL | undefined {
  const [value, source] =
    given.value !== undefined
      ? [given.value, given.source]
      : [env[REMOTE_URL_VARIABLE], REMOTE_URL_VARIABLE];
  if (value === undefined || value === "") return undefined;
  const url = proxyServerUrl(value);
  if (url === undefined) {
    throw new DevSessionError(
      "ERR_REMOTE_URL",
      `${source} must be ${PROXY_SERVER_URL_HINT}; got ${JSON.stringify(String(value))}.`,
    );
  }
  return url;
}
