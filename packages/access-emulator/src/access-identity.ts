import type { AppTokenClaims } from "./app-tokens.js";

/**
 * The identity behind an application token, shaped like Access's `/cdn-cgi/access/get-identity`
 * answer — which is also what `ctx.access.getIdentity()` returns to a Worker behind Access.
 */
export type AccessIdentity = Record<string, unknown>;

export function accessIdentity(claims: AppTokenClaims): AccessIdentity {
  if (claims.common_name !== undefined) {
    return { common_name: claims.common_name, service_token_status: true, iat: claims.iat };
  }
  return {
    id: claims.sub,
    user_uuid: claims.sub,
    email: claims.email,
    name: claims.email?.split("@")[0],
    idp: { id: "access-emulator", type: "emulator" },
    geo: { country: claims.country },
    amr: ["emulator"],
    iat: claims.iat,
    groups: [],
  };
}
