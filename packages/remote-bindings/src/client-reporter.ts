// The Node end of the proxy client's reporter binding: turns reports into warnings, one per
// binding and host for Access blocks, so a loop of blocked calls does not flood the terminal.
import type { SentCredential } from "./access-guidance.js";
import { accessBlockGuidance, clientIdHint } from "./access-guidance.js";
import type { AccessCredentials } from "./resolve-credentials.js";
import type { ProxyClientReport } from "./wire-protocol.js";

/** Receives each warning; `report` is what the proxy client reported, when it came from there. */
export type WarningHandler = (message: string, report?: ProxyClientReport) => void;

function sentCredential(credentials: AccessCredentials | undefined): SentCredential {
  if (credentials === undefined) return { kind: "none" };
  if ("token" in credentials) return { kind: "user_token" };
  return { kind: "service_token", clientIdHint: clientIdHint(credentials.clientId) };
}

function parseReport(text: string): ProxyClientReport | undefined {
  try {
    const value = JSON.parse(text) as ProxyClientReport;
    return typeof value === "object" && value !== null && typeof value.type === "string"
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}

export function createClientReporter(
  credentials: AccessCredentials | undefined,
  warn: WarningHandler,
): (request: Request) => Promise<Response> {
  const warnedBlocks = new Set<string>();
  const sent = sentCredential(credentials);
  return async (request) => {
    const report = parseReport(await request.text());
    if (report === undefined) return new Response("Unreadable report", { status: 400 });
    switch (report.type) {
      case "access-blocked": {
        const key = `${report.binding}\n${report.host}`;
        if (!warnedBlocks.has(key)) {
          warnedBlocks.add(key);
          warn(`[access-bridge] ${accessBlockGuidance(report, sent)}`, report);
        }
        break;
      }
      case "unhandled-rejection":
        warn(
          `[access-bridge] Unhandled rejection in the remote-bindings proxy client: ${report.message}`,
          report,
        );
        break;
      case "error":
        warn(`[access-bridge] Remote binding "${report.binding}": ${report.message}`, report);
        break;
    }
    return new Response(null, { status: 204 });
  };
}
