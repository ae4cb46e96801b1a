// Worker bundles are built by `npm run build` into dist/workers. This file sits directly in
// src/ (and in dist/ once compiled), so the same relative URL finds them from both places.
import { fileURLToPath } from "node:url";

export const OPEN_ENTRYPOINT_BUNDLE = fileURLToPath(
  new URL("../dist/workers/open-entrypoint.worker.js", import.meta.url),
);

export const FACADE_EXPORTS_BUNDLE = fileURLToPath(
  new URL("../dist/workers/facade-exports.worker.js", import.meta.url),
);
