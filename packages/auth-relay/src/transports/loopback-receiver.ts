import http from "node:http";
import type { AddressInfo } from "node:net";
import type { AuthorizationResponse } from "../authorization-request.js";
import { AuthRelayError } from "../errors.js";
import { statesMatch } from "../pkce.js";
import type { CallbackReceiver } from "./callback-receiver.js";

const CALLBACK_PATH = "/callback";
const PAGE_HEADERS = {
  "Content-Type": "text/html; charset=utf-8",
  "Cache-Control": "no-store",
  // The callback URL holds the code; no page the user opens next may receive it as Referer.
  "Referrer-Policy": "no-referrer",
};
const page = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><h1>${title}</h1><p>${text}</p>`;

/**
 * RFC 8252 §7.3 loopback redirect: a one-shot HTTP server on 127.0.0.1 and an OS-chosen port.
 * §8.3 prefers the IP literal to `localhost`, which a resolver or firewall could send elsewhere.
 */
export async function startLoopbackReceiver(expectedState: string): Promise<CallbackReceiver> {
  let settle: ((response: AuthorizationResponse) => void) | undefined;
  const received = new Promise<AuthorizationResponse>((resolve) => (settle = resolve));
  const server = http.createServer((request, response) => {
    // Only origin-form targets (`/callback?…`): an absolute-form one such as `http://[` is not
    // a URL, and a throw here would end the whole CLI with an uncaught exception.
    const target = request.url ?? "";
    const url = target.startsWith("/") ? URL.parse(target, "http://127.0.0.1") : null;
    if (url === null) {
      response.writeHead(400, PAGE_HEADERS).end(page("Bad request", "Not a callback URL."));
      return;
    }
    if (request.method !== "GET" || url.pathname !== CALLBACK_PATH || !settle) {
      response.writeHead(404, PAGE_HEADERS).end(page("Not found", "Nothing is waiting here."));
      return;
    }
    const params = Object.fromEntries(
      ["state", "code", "error", "error_description", "iss"].flatMap((name) => {
        const value = url.searchParams.get(name);
        return value === null ? [] : [[name, value]];
      }),
    ) as AuthorizationResponse;
    // Any web page can make the browser GET this URL; only our own state may end the wait.
    if (!statesMatch(expectedState, params.state)) {
      response
        .writeHead(400, PAGE_HEADERS)
        .end(page("Wrong login", "This response belongs to another login attempt. Ignored."));
      return;
    }
    const done = params.error === undefined;
    const deliver = settle;
    settle = undefined;
    // Only once the page is written ("close" also fires if the browser hangs up first): a
    // denial ends the login at once, and close() would otherwise reset the connection before
    // the browser got the page.
    response.once("close", () => deliver(params));
    response
      .writeHead(200, PAGE_HEADERS)
      .end(
        done
          ? page("Login received", "You can close this tab and return to the terminal.")
          : page("Login not completed", "Consent was not given. Return to the terminal."),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    waitForResponse: (signal) =>
      new Promise((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        if (signal.aborted) return onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        void received.then(resolve);
      }),
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

export function loopbackUnavailable(cause: unknown): AuthRelayError {
  return new AuthRelayError(
    "ERR_LOOPBACK_UNAVAILABLE",
    {
      what: "Could not listen on 127.0.0.1 for the login callback.",
      why: `The loopback interface refused a listener (${(cause as Error).message}).`,
      fix: "Use the relay (--relay URL) or the device flow (--device).",
    },
    { cause },
  );
}
