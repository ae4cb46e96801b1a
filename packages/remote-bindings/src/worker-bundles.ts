// Worker bundles are built by `npm run build` into dist/workers. This file sits directly in
// src/ (and in dist/ once compiled), so the same relative URL finds them from both places.
import { fileURLToPath } from "node:url";

export const PROXY_CLIENT_BUNDLE = fileURLToPath(
  new URL("../dist/workers/proxy-client.worker.js", import.meta.url),
);

export const PROXY_SERVER_BUNDLE = fileURLToPath(
  new URL("../dist/workers/proxy-server.worker.js", import.meta.url),
);

export const WRAPPED_BINDINGS_BUNDLE = fileURLToPath(
  new URL("../dist/workers/wrapped-bindings.worker.js", import.meta.url),
);
