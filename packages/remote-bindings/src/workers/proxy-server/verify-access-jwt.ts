// Defence in depth behind Cloudflare Access: given ACCESS_TEAM_DOMAIN and ACCESS_AUD, the proxy
// server checks the Cf-Access-Jwt-Assertion that Access adds, so a request that reached the
// Worker some other way (Access turned off, a route not covered) is refused.
import { errors } from "jose";
import { ACCESS_HEADERS } from "../../shared/wire-protocol.js";
import { verifyWithRemoteKeys } from "../shared/remote-key-set.js";
import type { ProxyServerEnv } from "./resolve-binding.js";

function plain(status: number, text: string): Response {
  return new Response(text + "\n", {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

/** A refusal to send back, or undefined when the request may proceed. */
export async function verifyAccessJwt(
  request: Request,
  env: ProxyServerEnv,
): Promise<Response | undefined> {
  const teamDomain = env.ACCESS_TEAM_DOMAIN?.replace(/\/+$/, "");
  const audience = env.ACCESS_AUD;
  if (!teamDomain && !audience) return undefined;
  if (!teamDomain || !audience) {
    return plain(
      500,
      `The proxy server is misconfigured: set both ACCESS_TEAM_DOMAIN and ACCESS_AUD to verify ` +
        `Cloudflare Access tokens, or neither to leave that to Access alone.`,
    );
  }

  const token = request.headers.get(ACCESS_HEADERS.JWT_ASSERTION);
  if (!token) {
    return plain(
      401,
      `This request did not come through Cloudflare Access (no ${ACCESS_HEADERS.JWT_ASSERTION}). ` +
        `Reach the proxy server through its Access-protected hostname.`,
    );
  }
  try {
    // Access always sets exp; a token without one would never expire, so it is refused.
    await verifyWithRemoteKeys(
      env.ACCESS_CERTS_URL ?? `${teamDomain}/cdn-cgi/access/certs`,
      token,
      {
        algorithms: ["RS256"],
        issuer: teamDomain,
        audience,
        requiredClaims: ["exp"],
      },
    );
    return undefined;
  } catch (error) {
    // Every failure is the token's fault or Access's configuration, never a 500; the reason is
    // jose's code, and the token itself is never echoed.
    const code = error instanceof errors.JOSEError ? error.code : "ERR_JWT_INVALID";
    return plain(
      403,
      `The Cloudflare Access token was refused (${code}). Check that ACCESS_TEAM_DOMAIN and ` +
        `ACCESS_AUD match the Access application in front of this Worker.`,
    );
  }
}
