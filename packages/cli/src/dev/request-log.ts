import { Response, type Request } from "miniflare";
import type { Logger } from "../logger.js";

export const REQUEST_LOG_WORKER = "access-bridge-request-log";

/**
 * The first worker of the dev Miniflare: it passes every request to the user's Worker and
 * reports method, path (never the query, which may carry tokens), status and time to Node,
 * after the response has gone out.
 */
export const REQUEST_LOG_SCRIPT = `
export default {
  async fetch(request, env, ctx) {
    const started = Date.now();
    let status = 500;
    try {
      const response = await env.USER.fetch(request);
      status = response.status;
      return response;
    } finally {
      const entry = { method: request.method, path: new URL(request.url).pathname, status, ms: Date.now() - started };
      ctx.waitUntil(env.REQUEST_LOG.fetch("http://request-log/", { method: "POST", body: JSON.stringify(entry) }));
    }
  },
};
`;

interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  ms: number;
}

export function requestLogHandler(logger: Logger) {
  return async (request: Request): Promise<Response> => {
    const { method, path, status, ms } = (await request.json()) as RequestLogEntry;
    logger.info(`${method} ${path} ${status} ${ms}ms`);
    return new Response(null, { status: 204 });
  };
}
