// The Node end of the proxy client's reporter binding (Miniflare API only): turns reports into
// warnings, one per binding and host for Access blocks, so a loop of blocked calls does not
// flood the terminal. The proxy client has written (and redacted) each message already.
import type { ProxyClientReport } from "../shared/wire-protocol.js";

/** Receives each warning; `report` is what the proxy client reported, when it came from there. */
export type WarningHandler = (message: string, report?: ProxyClientReport) => void;

function parseReport(text: string): ProxyClientReport | undefined {
  try {
    const value = JSON.parse(text) as ProxyClientReport;
    return typeof value === "object" &&
      value !== null &&
      typeof value.type === "string" &&
      typeof value.message === "string"
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}

export function createClientReporter(
  warn: WarningHandler,
): (request: Request) => Promise<Response> {
  const warnedBlocks = new Set<string>();
  return async (request) => {
    const report = parseReport(await request.text());
    if (report === undefined) return new Response("Unreadable report", { status: 400 });
    if (report.type === "access-blocked" || report.type === "sign-in") {
      const key = `${report.type}\n${report.binding}\n${report.host}`;
      if (warnedBlocks.has(key)) return new Response(null, { status: 204 });
      warnedBlocks.add(key);
    }
    warn(`[access-bridge] ${report.message}`, report);
    return new Response(null, { status: 204 });
  };
}
