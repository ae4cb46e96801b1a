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
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new CliError(
      "ERR_REMOTE_URL",
      `${source} must be the http(s) URL of your deployed proxy server, such as https://bindings-proxy.example.workers.dev; got "${value}".`,
    );
  }
  return url;
}
