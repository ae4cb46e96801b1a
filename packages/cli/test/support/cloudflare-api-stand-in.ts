// A stand-in for the part of Cloudflare's API that `access-bridge deploy` and the wrangler
// deploy it runs call, on 127.0.0.1, for tests: Cloudflare's API cannot be reached here. Built
// from Cloudflare's published API reference, one file per API family under cloudflare-api/,
// each naming its pages; the envelope every answer shares is in cloudflare-api/api-envelope.ts.
//
// It checks what it is sent (an unknown field shape is a 400 naming it, as the API answers), and
// each route accepts a token only with one of the permissions its page lists ("Accepted
// Permissions"). Requests are logged without their Authorization header.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { onTestFinished } from "vitest";
import { accessAppRoutes } from "./cloudflare-api/access-app-routes.js";
import { accessPolicyRoutes } from "./cloudflare-api/access-policy-routes.js";
import { accessServiceTokenRoutes } from "./cloudflare-api/access-service-token-routes.js";
import { accountRoutes } from "./cloudflare-api/account-routes.js";
import {
  accountState,
  type StandInApp,
  type StandInOptions,
  type StandInPolicy,
  type StandInScript,
  type StandInServiceToken,
} from "./cloudflare-api/account-state.js";
import type { Failure } from "./cloudflare-api/api-envelope.js";
import { answer, type LoggedRequest, type Router } from "./cloudflare-api/router.js";
import { storageRoutes } from "./cloudflare-api/storage-routes.js";
import { workerSettingsRoutes } from "./cloudflare-api/worker-settings-routes.js";
import { workerUploadRoutes } from "./cloudflare-api/worker-upload-routes.js";

export type {
  Failure,
  LoggedRequest,
  StandInApp,
  StandInOptions,
  StandInPolicy,
  StandInScript,
  StandInServiceToken,
};

export interface CloudflareApiStandIn {
  url: string;
  accountId: string;
  serviceTokens: StandInServiceToken[];
  policies: StandInPolicy[];
  apps: StandInApp[];
  kvNamespaces: { id: string; title: string }[];
  /** Worker scripts uploaded, by name: their multipart metadata. */
  scripts: Map<string, StandInScript>;
  requests: LoggedRequest[];
  /** The next request whose `METHOD path` matches gets this answer instead. */
  failNext(match: RegExp, failure: Failure): void;
  writes(): LoggedRequest[];
  close(): Promise<void>;
}

const ALL_PERMISSIONS = [
  "Account Settings Read",
  "Workers Scripts Write",
  "Workers R2 Storage Write",
  "D1 Write",
  "Workers KV Storage Write",
  "Access: Apps and Policies Write",
  "Access: Service Tokens Write",
  "Access: Organizations, Identity Providers, and Groups Read",
];

export async function startCloudflareApiStandIn(
  options: StandInOptions = {},
): Promise<CloudflareApiStandIn> {
  const state = accountState(options);
  const router: Router = {
    routes: [
      ...accountRoutes(state),
      ...accessServiceTokenRoutes(state),
      ...accessPolicyRoutes(state),
      ...accessAppRoutes(state),
      ...storageRoutes(state),
      ...workerUploadRoutes(state),
      ...workerSettingsRoutes(state),
    ],
    tokens: options.tokens ?? { "test-api-token": ALL_PERMISSIONS },
    requests: [],
    faults: [],
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => void answer(router, request, Buffer.concat(chunks), response));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const standIn: CloudflareApiStandIn = {
    url: `http://127.0.0.1:${port}/client/v4`,
    accountId: state.accountId,
    serviceTokens: state.serviceTokens,
    policies: state.policies,
    apps: state.apps,
    kvNamespaces: state.kvNamespaces,
    scripts: state.scripts,
    requests: router.requests,
    failNext: (match, failure) => router.faults.push({ match, failure }),
    writes: () => router.requests.filter((request) => request.method !== "GET"),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  onTestFinished(() => standIn.close());
  return standIn;
}
