// Worker bundles are built by `npm run build` into dist/workers. This file sits in src/node/ (and
// in dist/node/ once compiled), so the same relative URL finds them from both places.
import { fileURLToPath } from "node:url";

export const PROXY_CLIENT_BUNDLE = fileURLToPath(
  new URL("../../dist/workers/proxy-client.worker.js", import.meta.url),
);

export const PROXY_SERVER_BUNDLE = fileURLToPath(
  new URL("../../dist/workers/proxy-server.worker.js", import.meta.url),
);

/** Imported by the user's Worker, before its own modules: see user-entry.ts. */
export const USER_FACADES_BUNDLE = fileURLToPath(
  new URL("../../dist/workers/user-facades.worker.js", import.meta.url),
);

/** The proxy server in OAuth mode (see src/workers/oauth/README.md). */
export const PROXY_SERVER_OAUTH_BUNDLE = fileURLToPath(
  new URL("../../dist/workers/proxy-server-oauth.worker.js", import.meta.url),
);
