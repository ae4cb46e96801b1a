import { afterAll, expect, onTestFinished } from "vitest";
import {
  startAccessEmulator,
  type AccessApplicationOptions,
  type AccessEmulator,
  type AccessEmulatorOptions,
  type AccessOrigin,
} from "../src/index.js";
import { REDIRECT_URI } from "./oidc-client.js";

/**
 * The origin behind the emulator in most tests: echoes what reached it (so tests see exactly
 * which headers Access forwarded) and, on a WebSocket upgrade, sends the assertion it received
 * and then echoes every message.
 */
export const ECHO_ORIGIN_SCRIPT = `
export default {
  async fetch(request) {
    if (request.headers.get("upgrade") === "websocket") {
      const [client, server] = Object.values(new WebSocketPair());
      server.accept();
      server.send(JSON.stringify({ assertion: request.headers.get("cf-access-jwt-assertion") }));
      server.addEventListener("message", (event) => server.send("echo:" + event.data));
      server.addEventListener("close", (event) => server.close(event.code, event.reason));
      return new Response(null, { status: 101, webSocket: client });
    }
    const url = new URL(request.url);
    return Response.json({
      method: request.method,
      path: url.pathname + url.search,
      headers: Object.fromEntries(request.headers),
      body: request.method === "GET" || request.method === "HEAD" ? null : await request.text(),
    });
  },
};
`;

export const echoOrigin: AccessOrigin = {
  worker: { modules: true, compatibilityDate: "2026-04-01", script: ECHO_ORIGIN_SCRIPT },
};

export interface EchoBody {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | null;
}

const running = new Set<AccessEmulator>();
const fileLong = new Set<AccessEmulator>();

// An emulator left running keeps a workerd process alive: fail the file that leaked it.
afterAll(async () => {
  const leaked = running.size;
  await Promise.all([...running, ...fileLong].map((access) => access.dispose()));
  expect(leaked, "emulators left undisposed").toBe(0);
});

/** For a `beforeAll`: an emulator shared by the file's tests, disposed when the file ends. */
export async function useLongLivedEmulator(
  application: AccessApplicationOptions,
  origin: AccessOrigin = echoOrigin,
  more: Pick<AccessEmulatorOptions, "oidc" | "serviceTokens"> = {},
): Promise<AccessEmulator> {
  const access = await startAccessEmulator({ origin, application, ...more });
  fileLong.add(access);
  return access;
}

/** Starts an emulator for the current test and disposes of it when the test finishes. */
export async function useAccessEmulator(
  application: AccessApplicationOptions,
  origin: AccessOrigin = echoOrigin,
  more: Pick<AccessEmulatorOptions, "oidc" | "serviceTokens"> = {},
): Promise<AccessEmulator> {
  const access = await startAccessEmulator({ origin, application, ...more });
  running.add(access);
  onTestFinished(async () => {
    await access.dispose();
    running.delete(access);
  });
  return access;
}

export function serviceTokenHeaders(token: { clientId: string; clientSecret: string }) {
  return { "CF-Access-Client-Id": token.clientId, "CF-Access-Client-Secret": token.clientSecret };
}

export async function expectBlockPage(response: Response, reason: string): Promise<void> {
  expect(response.status).toBe(403);
  expect(response.headers.get("content-type")).toMatch(/^text\/html/);
  expect(response.headers.get("access-emulator-reason")).toBe(reason);
  expect(await response.text()).toContain("<title>Error ・ Cloudflare Access</title>");
}

/** An emulator with an OIDC application whose one redirect URI is `redirectUri`. */
export function useOidcEmulator(
  oidc: Partial<NonNullable<AccessEmulatorOptions["oidc"]>> = {},
  redirectUri = REDIRECT_URI,
): Promise<AccessEmulator> {
  return useAccessEmulator({ type: "self_hosted", teamName: "acme" }, echoOrigin, {
    oidc: { redirectUris: [redirectUri], ...oidc },
  });
}
