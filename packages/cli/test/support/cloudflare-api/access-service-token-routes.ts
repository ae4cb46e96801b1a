// Access service tokens: listed to find the one `deploy --access` made before, created once
// (the only answer that carries the client secret).
// https://developers.cloudflare.com/api/resources/zero_trust/subresources/access/subresources/service_tokens/
import { randomBytes, randomUUID } from "node:crypto";
import type { AccountState } from "./account-state.js";
import { DURATION, REFERENCE, invalid, record, requireString, type Route } from "./api-envelope.js";

const PAGE = `${REFERENCE}/zero_trust/subresources/access/subresources/service_tokens/methods`;

export function accessServiceTokenRoutes(state: AccountState): Route[] {
  const path = new RegExp(`^${state.account}/access/service_tokens$`);
  return [
    {
      method: "GET",
      pattern: path,
      permissions: ["Access: Service Tokens Write", "Access: Service Tokens Read"],
      page: `${PAGE}/list/`,
      handle: () => state.serviceTokens,
    },
    {
      method: "POST",
      pattern: path,
      permissions: ["Access: Service Tokens Write"],
      page: `${PAGE}/create/`,
      handle: (_match, body) => {
        const fields = record(body);
        const name = requireString(fields, "name");
        const duration = fields.duration ?? "8760h";
        if (typeof duration !== "string" || !DURATION.test(duration)) {
          throw invalid("duration must look like 8760h.");
        }
        const issued = state.options.issueServiceToken?.() ?? {
          clientId: `${randomBytes(16).toString("hex")}.access`,
          clientSecret: randomBytes(32).toString("hex"),
        };
        const token = { id: randomUUID(), name, client_id: issued.clientId, duration };
        state.serviceTokens.push(token);
        // The only answer that carries the secret.
        return { ...token, client_secret: issued.clientSecret };
      },
    },
  ];
}
