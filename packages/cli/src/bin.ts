#!/usr/bin/env node
import { enableCompileCache } from "./compile-cache.js";

// Before main.js, which loads the rest: only modules imported after this are cached.
enableCompileCache();
const { main } = await import("./main.js");

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `✘ access-bridge crashed, which is a bug: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
