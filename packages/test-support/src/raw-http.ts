import http from "node:http";

export interface RawAnswer {
  status: number;
  contentType: string;
  body: string;
}

/**
 * Sends one request with `target` exactly as given (no URL normalisation, unlike fetch), and
 * resolves with the answer; a WebSocket upgrade the server accepts resolves as 101 and is closed.
 */
export function rawRequest(
  origin: string,
  request: { method: string; target: string; headers?: Record<string, string> },
): Promise<RawAnswer> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const outgoing = http.request({
      hostname,
      port,
      method: request.method,
      path: request.target,
      headers: request.headers ?? {},
      agent: false,
    });
    outgoing.on("upgrade", (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 0, contentType: "", body: "" });
    });
    outgoing.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers["content-type"] ?? "",
          body,
        }),
      );
      response.on("error", reject);
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}
