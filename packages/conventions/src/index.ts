export { WORKERS_COMPATIBILITY_DATE } from "./compatibility-date.js";
export { clientIdHint } from "./client-id-hint.js";
export { remoteId } from "./remote-id.js";
export { newServiceToken } from "./service-token.js";
export { WORKER_BUNDLE_OPTIONS } from "./worker-bundle.js";
export { AccessBridgeError, errorCode, errorDetail } from "./access-bridge-error.js";
