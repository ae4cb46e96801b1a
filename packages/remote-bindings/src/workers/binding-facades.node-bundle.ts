// The facades alone, for a caller whose bindings live outside its own isolate: getPlatformProxy()
// hands Node the raw service bindings, and @access-bridge/platform-proxy wraps them there with
// these same facades. Plain JavaScript over Web APIs Node has too (Response, ReadableStream,
// Blob, Headers); bundled for Node (scripts/build.mjs), so that capnweb is Node's build of it.
export { aiFacade } from "./user-facades/ai.js";
export { d1Facade } from "./user-facades/d1.js";
export { kvFacade } from "./user-facades/kv.js";
export { r2Facade } from "./user-facades/r2.js";
