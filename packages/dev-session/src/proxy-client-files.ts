// The proxy-client Worker as the tools run it: the prefix of its name (each session adds a part
// of its own: proxy-client-name.ts), and one pair of files (its wrangler config and the `.env` of
// references its credentials are read through, never values; see proxyClientDotEnv in
// @access-bridge/remote-bindings).
import path from "node:path";
import {
  PROXY_CLIENT_WORKER_NAME,
  proxyClientDotEnv,
  type RawSection,
} from "@access-bridge/remote-bindings";
import { writeIfChanged } from "./generated-files.js";

export { PROXY_CLIENT_WORKER_NAME };

/** Writes `<dir>/proxy-client/wrangler.json` and its `.env`; returns the config's path. */
export function writeProxyClientFiles(dir: string, config: RawSection): string {
  writeIfChanged(path.join(dir, "proxy-client", ".env"), proxyClientDotEnv());
  const file = path.join(dir, "proxy-client", "wrangler.json");
  writeIfChanged(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}
