export {
  ALWAYS_REMOTE_SECTIONS,
  carriedBindings,
  carriedBindingsByEnvironment,
  type CarriedBinding,
  type RawSection,
} from "./binding-sections.js";
export {
  CREDENTIAL_SOURCES,
  PROXY_CLIENT_SECRET_VARS,
  proxyClientDotEnv,
  proxyClientWranglerConfig,
} from "./proxy-client-config.js";
export {
  PROXY_CLIENT_WORKER_NAME,
  rewriteWranglerConfig,
  type GeneratedModule,
  type RewriteOptions,
  type RewrittenConfigs,
  type SectionSummary,
} from "./rewrite-wrangler-config.js";
export {
  defaultProxyServerName,
  proxyServerWranglerConfig,
  type ProxyServerConfig,
  type ProxyServerConfigOptions,
} from "./proxy-server-config.js";
