// The compile cache `dev` hands to wrangler: this process's, unless the user chose their own or
// turned the cache off.
import module from "node:module";
import { describe, expect, it } from "vitest";
import { enableCompileCache, withCompileCache } from "../src/compile-cache.js";

describe("withCompileCache", () => {
  enableCompileCache();
  const dir = module.getCompileCacheDir();

  it("names this process's cache for wrangler", () => {
    expect(dir).toEqual(expect.any(String));
    expect(withCompileCache({ PATH: "/bin" })).toEqual({ PATH: "/bin", NODE_COMPILE_CACHE: dir });
  });

  it("leaves a cache the user named, and a cache the user turned off, as they are", () => {
    const own = { NODE_COMPILE_CACHE: "/home/me/.cache/node" };
    expect(withCompileCache(own)).toBe(own);
    const off = { NODE_DISABLE_COMPILE_CACHE: "1" };
    expect(withCompileCache(off)).toBe(off);
  });
});
