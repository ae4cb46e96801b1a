// The facades alone, with no `cloudflare:workers` import, for a caller whose bindings live
// outside its own isolate: getPlatformProxy() hands Node the raw service bindings, and
// @access-bridge/platform-proxy wraps them there with these same facades. Plain JavaScript over
// Web APIs Node has too (Response, ReadableStream, Blob, Headers).
export { d1Facade } from "./user-facades/d1.js";
export { kvFacade } from "./user-facades/kv.js";
export { r2Facade } from "./user-facades/r2.js";
