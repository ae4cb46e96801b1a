// The stand-in's one HTTP front: parses the body, logs the request without its Authorization
// header, answers a queued fault, finds the route, and checks the token and its permissions as
// the API does (an unknown token is a 400 with code 10001; a token without one of the route's
// accepted permissions a 403 naming the route's page), then answers in the envelope.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, envelopeOf, successOf, type Failure, type Route } from "./api-envelope.js";

export interface LoggedRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface Router {
  routes: Route[];
  /** Each token and its permissions, as the dashboard names them. */
  tokens: Record<string, string[]>;
  requests: LoggedRequest[];
  faults: { match: RegExp; failure: Failure }[];
}

function send(response: ServerResponse, status: number, payload: unknown, headers = {}) {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(payload));
}

function refusal(response: ServerResponse, failure: Failure) {
  send(response, failure.status, envelopeOf(failure), failure.headers);
}

export async function answer(
  router: Router,
  request: IncomingMessage,
  raw: Buffer,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://stand-in");
  const method = request.method ?? "GET";
  const type = request.headers["content-type"] ?? "";
  let body: unknown;
  try {
    body =
      type.startsWith("application/json") && raw.length > 0
        ? JSON.parse(raw.toString())
        : undefined;
  } catch {
    return refusal(response, { status: 400, errors: [{ code: 1001, message: "Invalid JSON." }] });
  }
  const path = url.pathname.replace(/^\/client\/v4/, "");
  router.requests.push({ method, path, body });
  const fault = router.faults.findIndex(({ match }) => match.test(`${method} ${path}`));
  if (fault >= 0) return refusal(response, router.faults.splice(fault, 1)[0]!.failure);
  const route = router.routes.find(
    (candidate) => candidate.method === method && candidate.pattern.test(path),
  );
  if (route === undefined) {
    return refusal(response, {
      status: 404,
      errors: [{ code: 7003, message: `No route for ${method} ${path} in the stand-in.` }],
    });
  }
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
  const permissions = token === undefined ? undefined : router.tokens[token];
  if (permissions === undefined) {
    // What Cloudflare answers a token it does not know.
    return refusal(response, {
      status: 400,
      errors: [{ code: 10001, message: "Unable to authenticate request" }],
    });
  }
  if (!route.permissions.some((permission) => permissions.includes(permission))) {
    return refusal(response, {
      status: 403,
      errors: [{ code: 10000, message: "Authentication error", documentation_url: route.page }],
    });
  }
  try {
    const result = await route.handle(route.pattern.exec(path)!, body, { raw, contentType: type });
    send(response, method === "POST" ? 201 : 200, successOf(result));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    refusal(response, error.failure);
  }
}
