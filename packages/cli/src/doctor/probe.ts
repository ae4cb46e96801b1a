import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import type { AnswerToClassify } from "@access-bridge/remote-bindings";

export interface ProbeResult {
  status: number;
  headers: IncomingHttpHeaders;
  /** The first few KiB of the body: enough to recognise an Access page or our own errors. */
  body: string;
}

const BODY_LIMIT = 8192;
const TIMEOUT_MS = 10_000;

/**
 * One request that never follows a redirect (credentials must not travel on) and also reports
 * how a WebSocket upgrade is answered: 101 counts as a status like any other.
 */
export function probe(url: URL, headers: Record<string, string>): Promise<ProbeResult> {
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { headers, timeout: TIMEOUT_MS });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on("upgrade", (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 101, headers: response.headers, body: "" });
    });
    req.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        if (body.length < BODY_LIMIT) body += chunk;
      });
      response.on("end", () =>
        resolve({ status: response.statusCode!, headers: response.headers, body }),
      );
      response.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

export function upgradeHeaders(): Record<string, string> {
  return {
    connection: "Upgrade",
    upgrade: "websocket",
    "sec-websocket-version": "13",
    "sec-websocket-key": Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64"),
  };
}

/** The probe's answer in the shape the shared Access-block classifier reads. */
export function asAnswer(result: ProbeResult): AnswerToClassify {
  return {
    status: result.status,
    headers: {
      get(name) {
        const value = result.headers[name.toLowerCase()];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(", ") : String(value);
      },
    },
    clone: () => ({ text: async () => result.body }),
  };
}
