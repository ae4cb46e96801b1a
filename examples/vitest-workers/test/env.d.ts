// The types `cloudflare:workers` gives the tests: the Worker's bindings as `env`, its module as
// `exports` (what `wrangler types` would generate).
import type * as LinksWorker from "../src/index";

declare global {
  namespace Cloudflare {
    interface GlobalProps {
      mainModule: typeof LinksWorker;
    }
    // An interface, so that it merges with the runtime's own Env.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface Env extends LinksWorker.Env {}
  }
}

export {};
