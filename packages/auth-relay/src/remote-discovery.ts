import { remoteId } from "@access-bridge/conventions";
import { AuthRelayError } from "./errors.js";
import { fetchOAuth, isSecureOrLoopback } from "./oauth-http.js";

/** A proxy server in OAuth mode, as its RFC 9728 protected resource metadata describes it. */
export interface ProtectedResource {
  /** The remote as the user named it, normalised: what logins are stored and looked up by. */
  remote: string;
  /** Its RFC 9728 resource identifier, sent as the RFC 8707 `resource` of every request. */
  resource: string;
  /** The authorization server that issues its tokens (the proxy itself, for ours). */
  issuer: string;
}

/** `https://proxy.example.workers.dev/` and `https://proxy.example.workers.dev` are one remote. */
export function parseRemote(remote: string): URL {
  const url = URL.canParse(remote) ? new URL(remote) : undefined;
  if (!url || !isSecureOrLoopback(url) || url.search || url.hash || url.username || url.password) {
    throw new AuthRelayError("ERR_INVALID_OPTION", {
      what: `The remote "${remote}" is not a usable proxy server URL.`,
      why: "It must be the https URL of a proxy server in OAuth mode (http only on loopback), without query or fragment.",
      fix: "Pass --remote with the proxy server's URL, e.g. https://access-bridge-proxy-oauth.<account>.workers.dev.",
    });
  }
  return url;
}

/**
 * RFC 9728 §3: the metadata sits at the well-known path inserted before the remote's path, and
 * its `resource` must be the remote itself (§3.3), or a server could send our login, and so our
 * tokens, to an authorization server meant for something else.
 */
export async function discoverProtectedResource(
  remote: string,
  signal?: AbortSignal,
): Promise<ProtectedResource> {
  const url = parseRemote(remote);
  const id = remoteId(url);
  const path = url.pathname.replace(/\/+$/, "");
  const metadataUrl = `${url.origin}/.well-known/oauth-protected-resource${path}`;
  const answer = await fetchOAuth(metadataUrl, { method: "GET" }, "resource discovery", signal);
  if (answer.status !== 200 || answer.body === undefined)
    throw notOAuthMode(id, metadataUrl, answer);
  const { resource, authorization_servers: servers } = answer.body;
  if (typeof resource !== "string" || resource.replace(/\/+$/, "") !== id) {
    throw new AuthRelayError("ERR_ISSUER_MISMATCH", {
      what: `The resource metadata of ${id} describes another resource.`,
      why: "RFC 9728 §3.3 requires it to name the URL it was fetched for; anything else may be an impersonation.",
      fix: "Check the --remote URL; it must be the proxy server itself.",
    });
  }
  const issuer = Array.isArray(servers) ? servers[0] : undefined;
  if (typeof issuer !== "string" || !URL.canParse(issuer) || !isSecureOrLoopback(new URL(issuer))) {
    throw new AuthRelayError("ERR_UNSUPPORTED_SERVER", {
      what: `The resource metadata of ${id} names no usable authorization server.`,
      why: "authorization_servers must list an https issuer (RFC 9728 §2).",
      fix: "Check the proxy server's OAuth mode settings (oauth.wrangler.jsonc).",
    });
  }
  return { remote: id, resource, issuer };
}

function notOAuthMode(
  id: string,
  metadataUrl: string,
  answer: { status: number; location?: string; contentType: string },
): AuthRelayError {
  const accessLogin =
    answer.location !== undefined &&
    (/\/cdn-cgi\/access\/login/.test(answer.location) ||
      /\.cloudflareaccess\.com$/.test(
        URL.canParse(answer.location) ? new URL(answer.location).hostname : "",
      ));
  if (accessLogin || (answer.status === 403 && answer.contentType.startsWith("text/html"))) {
    return new AuthRelayError("ERR_DISCOVERY_FAILED", {
      what: `Cloudflare Access answered for ${id} before the proxy server could (HTTP ${answer.status}).`,
      why: "Access protects the OAuth endpoints too, and a command-line login cannot pass its browser sign-in.",
      fix: "Add an Access Bypass for /.well-known/oauth-* and /oauth/* on that host (see the remote-bindings README, OAuth mode), or log in with --access instead.",
    });
  }
  return new AuthRelayError("ERR_DISCOVERY_FAILED", {
    what: `${id} published no OAuth protected resource metadata (HTTP ${answer.status} at ${metadataUrl}).`,
    why: "It is not a proxy server in OAuth mode, or the URL is not the proxy server's.",
    fix: "Deploy the proxy server with oauth.wrangler.jsonc, or use --access / a service token for an Access-protected one.",
  });
}
