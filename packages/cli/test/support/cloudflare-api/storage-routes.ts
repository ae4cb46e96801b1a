// R2, D1 and KV: wrangler deploy checks that the resources its bindings name exist (otherwise it
// offers to create them), and `deploy --oauth` creates the KV namespace of its grants. Here
// every bucket and database exists.
// https://developers.cloudflare.com/api/resources/r2/subresources/buckets/methods/get/
// https://developers.cloudflare.com/api/resources/d1/subresources/database/methods/get/
// https://developers.cloudflare.com/api/resources/kv/subresources/namespaces/
import { randomBytes } from "node:crypto";
import type { AccountState } from "./account-state.js";
import { REFERENCE, invalid, record, requireString, type Route } from "./api-envelope.js";

export function storageRoutes(state: AccountState): Route[] {
  const { account, kvNamespaces } = state;
  return [
    {
      method: "GET",
      pattern: new RegExp(`^${account}/r2/buckets/([^/]+)$`),
      permissions: ["Workers R2 Storage Write", "Workers R2 Storage Read"],
      page: `${REFERENCE}/r2/subresources/buckets/methods/get/`,
      handle: (match) => ({
        name: match[1],
        creation_date: "2026-01-01T00:00:00Z",
        location: "WEUR",
      }),
    },
    {
      method: "GET",
      pattern: new RegExp(`^${account}/d1/database/([^/]+)$`),
      permissions: ["D1 Write", "D1 Read"],
      page: `${REFERENCE}/d1/subresources/database/methods/get/`,
      handle: (match) => ({ uuid: match[1], name: match[1], version: "production" }),
    },
    {
      method: "GET",
      pattern: new RegExp(`^${account}/storage/kv/namespaces$`),
      permissions: ["Workers KV Storage Write", "Workers KV Storage Read"],
      page: `${REFERENCE}/kv/subresources/namespaces/methods/list/`,
      handle: () => kvNamespaces,
    },
    {
      method: "POST",
      pattern: new RegExp(`^${account}/storage/kv/namespaces$`),
      permissions: ["Workers KV Storage Write"],
      page: `${REFERENCE}/kv/subresources/namespaces/methods/create/`,
      handle: (_match, body) => {
        const title = requireString(record(body), "title");
        if (kvNamespaces.some((namespace) => namespace.title === title)) {
          throw invalid("a namespace with this title already exists");
        }
        const namespace = { id: randomBytes(16).toString("hex"), title };
        kvNamespaces.push(namespace);
        return namespace;
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${account}/storage/kv/namespaces/([^/]+)$`),
      permissions: ["Workers KV Storage Write", "Workers KV Storage Read"],
      page: `${REFERENCE}/kv/subresources/namespaces/methods/get/`,
      handle: (match) => ({ id: match[1], title: match[1] }),
    },
  ];
}
