// The modules this plugin adds to the dev server's Workers, served by its resolveId/load hooks.
import {
  facadeInstallerSource,
  proxyClientScriptPath,
  userFacadesScriptPath,
  type RemoteBindingType,
} from "@access-bridge/remote-bindings";
import { normalizePath } from "vite";
import { FACADE_EXPORTS_BUNDLE, OPEN_ENTRYPOINT_BUNDLE } from "./worker-bundles.js";

const PREFIX = "virtual:access-bridge/";

/** The proxy client's entry: `main` of its auxiliary Worker. */
export const PROXY_CLIENT_ENTRY = `${PREFIX}proxy-client`;

/** Installs the facades and exports the function that gives them to the app's handlers. */
export const FACADES_MODULE = `${PREFIX}facades`;

/** The export of FACADES_MODULE that wraps one export of the app's entry. */
export const WITH_REMOTE_FACADES = "withRemoteFacades";

export function isVirtualModule(id: string): boolean {
  return id === PROXY_CLIENT_ENTRY || id === FACADES_MODULE;
}

/** An absolute file as Vite names modules (forward slashes on Windows too). */
const moduleId = (file: string) => JSON.stringify(normalizePath(file));

export function proxyClientEntrySource(): string {
  return [
    `import ProxyClient from ${moduleId(proxyClientScriptPath)};`,
    `import { openEntrypoint } from ${moduleId(OPEN_ENTRYPOINT_BUNDLE)};`,
    `export { RpcSessionHost } from ${moduleId(proxyClientScriptPath)};`,
    `export default openEntrypoint(ProxyClient);`,
    "",
  ].join("\n");
}

export function facadesModuleSource(facades: Record<string, RemoteBindingType>): string {
  return [
    // Replaces the bindings in the module runner's `env` of "cloudflare:workers".
    facadeInstallerSource(facades, normalizePath(userFacadesScriptPath)),
    `import { env } from "cloudflare:workers";`,
    `import { facadeExports } from ${moduleId(FACADE_EXPORTS_BUNDLE)};`,
    `export const ${WITH_REMOTE_FACADES} = facadeExports(env, ${JSON.stringify(Object.keys(facades))});`,
    "",
  ].join("\n");
}
