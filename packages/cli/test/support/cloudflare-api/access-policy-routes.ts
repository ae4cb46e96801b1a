// Reusable Access policies: the Service Auth policy `deploy --access` creates, or corrects when
// it finds it changed.
// https://developers.cloudflare.com/api/resources/zero_trust/subresources/access/subresources/policies/
import { randomUUID } from "node:crypto";
import type { AccountState } from "./account-state.js";
import { REFERENCE, invalid, notFound, record, requireString, type Route } from "./api-envelope.js";

const PAGE = `${REFERENCE}/zero_trust/subresources/access/subresources/policies/methods`;
const DECISIONS = new Set(["allow", "deny", "non_identity", "bypass"]);

/** A policy's `include` rules; a service-token rule must name a token of this account. */
function checkInclude(state: AccountState, include: unknown): void {
  if (!Array.isArray(include) || include.length === 0) {
    throw invalid("include must be a non-empty array of rules.");
  }
  for (const rule of include as Record<string, { token_id?: unknown }>[]) {
    const tokenId = rule.service_token?.token_id;
    if (rule.service_token !== undefined && !state.serviceTokens.some((t) => t.id === tokenId)) {
      throw invalid(
        `service_token.token_id ${String(tokenId)} is not a service token of this account.`,
      );
    }
  }
}

export function accessPolicyRoutes(state: AccountState): Route[] {
  const { policies } = state;
  return [
    {
      method: "GET",
      pattern: new RegExp(`^${state.account}/access/policies$`),
      permissions: ["Access: Apps and Policies Write", "Access: Apps and Policies Read"],
      page: `${PAGE}/list/`,
      handle: () => policies,
    },
    {
      method: "POST",
      pattern: new RegExp(`^${state.account}/access/policies$`),
      permissions: ["Access: Apps and Policies Write"],
      page: `${PAGE}/create/`,
      handle: (_match, body) => {
        const fields = record(body);
        const decision = requireString(fields, "decision");
        if (!DECISIONS.has(decision))
          throw invalid(`decision ${decision} is not one of ${[...DECISIONS]}.`);
        checkInclude(state, fields.include);
        const policy = {
          id: randomUUID(),
          name: requireString(fields, "name"),
          decision,
          include: fields.include as Record<string, unknown>[],
        };
        policies.push(policy);
        return policy;
      },
    },
    {
      method: "PUT",
      pattern: new RegExp(`^${state.account}/access/policies/([^/]+)$`),
      permissions: ["Access: Apps and Policies Write"],
      page: `${PAGE}/update/`,
      handle: (match, body) => {
        const policy = policies.find((candidate) => candidate.id === match[1]);
        if (policy === undefined) throw notFound(12130, "access.api.error.policy_not_found");
        const fields = record(body);
        const decision = requireString(fields, "decision");
        if (!DECISIONS.has(decision)) throw invalid(`decision ${decision} is not valid.`);
        checkInclude(state, fields.include);
        Object.assign(policy, {
          name: requireString(fields, "name"),
          decision,
          include: fields.include,
        });
        return policy;
      },
    },
  ];
}
