// workerd's own binding implementations, importable from wrapped-binding modules only. Miniflare
// builds its AI and Vectorize bindings from the same modules.
declare module "cloudflare-internal:ai-api" {
  const makeBinding: (env: { fetcher: Pick<Fetcher, "fetch"> }) => unknown;
  export default makeBinding;
}

declare module "cloudflare-internal:vectorize-api" {
  const makeBinding: (env: {
    fetcher: Pick<Fetcher, "fetch">;
    indexId: string;
    indexVersion: string;
    useNdJson: boolean;
  }) => unknown;
  export default makeBinding;
}

declare module "cloudflare-internal:env" {
  /** What `import { env } from "cloudflare:workers"` reads: the env of the running request. */
  const env: { getCurrentEnv(): Record<string, unknown> | undefined };
  export default env;
}
