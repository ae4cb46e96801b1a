// The HTTP path: a binding's fetch(), and fetcher-style bindings (AI, Vectorize, Images) that
// are built on it. Speaks workers-sdk's remote proxy protocol plus the Access headers.
import { WIRE } from "../../wire-protocol.js";
import type { ProxyClientProps } from "../../wire-protocol.js";
import { accessBlockResponse, detectAccessBlock } from "./access-block.js";
import type { ProxyClientEnv } from "./client-env.js";
import { accessHeaders, report, sentCredential } from "./client-env.js";

export function makeFetch(props: ProxyClientProps, env: ProxyClientEnv) {
  return async (request: Request): Promise<Response> => {
    const headers = new Headers();
    for (const [name, value] of request.headers) {
      // Upgrade travels as itself: workerd only lets the server return a WebSocket to a request
      // that carries "Upgrade: websocket".
      if (name === "upgrade") headers.set(name, value);
      else headers.set(`${WIRE.HEADER_PREFIX}${name}`, value);
    }
    headers.set(WIRE.URL, request.url);
    headers.set(WIRE.BINDING, props.binding);
    for (const [name, value] of Object.entries(accessHeaders(env))) headers.set(name, value);

    // "manual": the credentials above must never follow a redirect to another host.
    const response = await fetch(props.remoteUrl, {
      method: request.method,
      headers,
      body: request.body,
      redirect: "manual",
    });

    const sent = sentCredential(env);
    const where = {
      binding: props.binding,
      host: new URL(props.remoteUrl).host,
      path: "http" as const,
    };
    const block = await detectAccessBlock(response, where, sent);
    if (block === undefined) return response;
    await response.body?.cancel();
    await report(env, { type: "access-blocked", ...block });
    return accessBlockResponse(block, sent);
  };
}
