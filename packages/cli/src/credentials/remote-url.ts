import { PROXY_SERVER_URL_HINT, proxyServerUrl } from "@access-bridge/remote-bindings";
import { CliError } from "../cli-error.js";

/** `--remote-url`, else ACCESS_BRIDGE_REMOTE_URL, else undefined (the embedded remote). */
export function resolveRemoteUrl(
  flag: string | undefined,
  env: Record<string, string | undefined>,
): URL | undefined {
  const [value, source] =
    flag !== undefined
      ? [flag, "--remote-url"]
      : [env.ACCESS_BRIDGE_REMOTE_URL, "ACCESS_BRIDGE_REMOTE_URL"];
  if (value === undefined || value === "") return undefined;
  const url = proxyServerUrl(value);
  if (url === undefined) {
    throw new CliError(
      "ERR_REMOTE_URL",
      `${source} must be ${PROXY_SERVER_URL_HINT}; got ${JSON.stringify(value)}.`,
    );
  }
  return url;
}
