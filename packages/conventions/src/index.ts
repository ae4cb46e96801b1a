export { WORKERS_COMPATIBILITY_DATE } from "./compatibility-date.js";
export { clientIdHint } from "./client-id-hint.js";
