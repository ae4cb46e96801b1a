// The account and its Zero Trust organization: what `deploy` reads to pick the account and to
// learn the Access team domain.
// https://developers.cloudflare.com/api/resources/accounts/methods/list/
// https://developers.cloudflare.com/api/resources/zero_trust/subresources/organizations/methods/list/
import type { AccountState } from "./account-state.js";
import { REFERENCE, notFound, type Route } from "./api-envelope.js";

export function accountRoutes(state: AccountState): Route[] {
  return [
    {
      method: "GET",
      pattern: /^\/accounts$/,
      permissions: ["Account Settings Read"],
      page: `${REFERENCE}/accounts/methods/list/`,
      handle: () => [{ id: state.accountId, name: "Example account" }],
    },
    {
      method: "GET",
      pattern: new RegExp(`^${state.account}/access/organizations$`),
      permissions: [
        "Access: Organizations, Identity Providers, and Groups Write",
        "Access: Organizations, Identity Providers, and Groups Read",
      ],
      page: `${REFERENCE}/zero_trust/subresources/organizations/methods/list/`,
      handle: () => {
        if (state.authDomain === undefined) {
          throw notFound(12000, "access.api.error.not_found: organization not found");
        }
        return { auth_domain: state.authDomain, name: state.authDomain.split(".")[0] };
      },
    },
  ];
}
