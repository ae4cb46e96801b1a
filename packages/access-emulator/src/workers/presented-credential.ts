import type { PresentedCredential } from "../authority-protocol.js";

export const SESSION_COOKIE = "CF_Authorization";

function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (header === null) return undefined;
  for (const part of header.split(";")) {
    const separator = part.indexOf("=");
    if (separator !== -1 && part.slice(0, separator).trim() === name) {
      return part.slice(separator + 1).trim();
    }
  }
  return undefined;
}

/**
 * What the request offers Access, in the order we check it: service-token headers (either one
 * present counts, so a half-configured client gets a clear block), then the `cf-access-token`
 * header, then the session cookie.
 */
export function readPresentedCredential(request: Request): PresentedCredential {
  const clientId = request.headers.get("cf-access-client-id");
  const clientSecret = request.headers.get("cf-access-client-secret");
  if (clientId !== null || clientSecret !== null) {
    return { kind: "service_token", clientId: clientId ?? "", clientSecret: clientSecret ?? "" };
  }
  const headerToken = request.headers.get("cf-access-token");
  if (headerToken !== null && headerToken !== "") {
    return { kind: "user_token_header", token: headerToken };
  }
  const cookie = readCookie(request, SESSION_COOKIE);
  if (cookie !== undefined && cookie !== "") return { kind: "cookie", token: cookie };
  return { kind: "none" };
}

export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}
