// What every entry point accepts as the address of a proxy server (remoteBindings(), the CLI's
// --remote-url, the Vite plugin's remoteUrl): an absolute http(s) URL. Each says so in its own
// error, naming where the value came from.

/** What a proxy server's address looks like, for error messages. */
export const PROXY_SERVER_URL_HINT =
  "the http(s) URL of your deployed proxy server, such as https://bindings-proxy.example.workers.dev";

/** `value` as a proxy server's URL, or undefined when it is not an absolute http(s) URL. */
export function proxyServerUrl(value: unknown): URL | undefined {
  if (typeof value !== "string" && !(value instanceof URL)) return undefined;
  const url = URL.parse(String(value));
  return url !== null && (url.protocol === "https:" || url.protocol === "http:") ? url : undefined;
}
