// The shapes of Access credentials and the one way to describe them without revealing them.
// Plain TypeScript: used by the Node side and by the proxy client in workerd alike.
import { clientIdHint } from "@access-bridge/conventions";
import { ACCESS_HEADERS } from "./wire-protocol.js";

/** A service token (sent as CF-Access-Client-Id/-Secret) or a user token (sent as cf-access-token). */
export type AccessCredentials = { clientId: string; clientSecret: string } | { token: string };

/** What was sent, described without revealing it: a kind and at most an id prefix. */
export type SentCredential =
  { kind: "service_token"; clientIdHint: string } | { kind: "user_token" } | { kind: "none" };

export { clientIdHint };

export function sentCredential(credentials: AccessCredentials | undefined): SentCredential {
  if (credentials === undefined) return { kind: "none" };
  if ("token" in credentials) return { kind: "user_token" };
  return { kind: "service_token", clientIdHint: clientIdHint(credentials.clientId) };
}

/** Shown instead of the values whenever credentials are printed or serialised. */
export function describeCredentials(
  credentials: AccessCredentials | undefined,
  options: { signedIn?: boolean } = {},
): string {
  // OAuth mode: the bearer token of `login --remote` goes too, beside any Access credential.
  if (options.signedIn) {
    const signIn = "your sign-in (access-bridge login --remote), renewed as it expires";
    return credentials === undefined ? signIn : `${describeCredentials(credentials)} and ${signIn}`;
  }
  const sent = sentCredential(credentials);
  switch (sent.kind) {
    case "none":
      return "no Access credentials";
    case "user_token":
      return "an Access user token";
    case "service_token":
      return `an Access service token (client id ${sent.clientIdHint})`;
  }
}

/**
 * The request headers that present `credentials` to Cloudflare Access; none for none, so that a
 * request without credentials is exactly the one sent without this layer.
 */
export function accessRequestHeaders(
  credentials: AccessCredentials | undefined,
): Record<string, string> {
  if (credentials === undefined) return {};
  if ("token" in credentials) return { [ACCESS_HEADERS.USER_TOKEN]: credentials.token };
  return {
    [ACCESS_HEADERS.CLIENT_ID]: credentials.clientId,
    [ACCESS_HEADERS.CLIENT_SECRET]: credentials.clientSecret,
  };
}

/**
 * A half-set service token: which variable is set and which is missing, or undefined when the
 * pair is complete or absent. One rule for every caller (a warning in the Node API, a usage
 * error in the CLI).
 */
export function halfSetServiceToken(env: {
  CLOUDFLARE_ACCESS_CLIENT_ID?: string;
  CLOUDFLARE_ACCESS_CLIENT_SECRET?: string;
}): { set: string; missing: string } | undefined {
  const id = Boolean(env.CLOUDFLARE_ACCESS_CLIENT_ID);
  const secret = Boolean(env.CLOUDFLARE_ACCESS_CLIENT_SECRET);
  if (id === secret) return undefined;
  return id
    ? { set: "CLOUDFLARE_ACCESS_CLIENT_ID", missing: "CLOUDFLARE_ACCESS_CLIENT_SECRET" }
    : { set: "CLOUDFLARE_ACCESS_CLIENT_SECRET", missing: "CLOUDFLARE_ACCESS_CLIENT_ID" };
}
