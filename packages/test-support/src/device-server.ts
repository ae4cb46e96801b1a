import http from "node:http";
import type { AddressInfo } from "node:net";
import { onTestFinished } from "vitest";

export type DeviceStep =
  "authorization_pending" | "slow_down" | "access_denied" | "expired_token" | "approve";

export interface DeviceServerOptions {
  /** What each poll of the token endpoint answers, in order. */
  steps: DeviceStep[];
  /** The `interval` to send; omitted when undefined (RFC 8628 §3.2 default applies). */
  interval?: number;
  /** Overrides the metadata's issuer (to test RFC 8414 §3.3). */
  metadataIssuer?: string;
  /** Overrides the verification_uri (to test the origin check). */
  verificationUri?: string;
}

/**
 * A minimal RFC 8628 authorization server on 127.0.0.1 (workers-oauth-provider has no device
 * grant). It records every poll so tests can check what the client sent.
 */
export async function startDeviceServer(options: DeviceServerOptions) {
  const polls: URLSearchParams[] = [];
  const steps = [...options.steps];
  const server = http.createServer(async (request, response) => {
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let body = "";
    for await (const chunk of request) body += String(chunk);
    const form = new URLSearchParams(body);
    const json = (status: number, value: unknown) =>
      response.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(value));
    switch (request.url) {
      case "/.well-known/oauth-authorization-server":
        return json(200, {
          issuer: options.metadataIssuer ?? issuer,
          token_endpoint: `${issuer}/token`,
          device_authorization_endpoint: `${issuer}/device_authorization`,
          registration_endpoint: `${issuer}/register`,
          grant_types_supported: ["urn:ietf:params:oauth:grant-type:device_code"],
        });
      case "/register":
        return json(201, { client_id: "device-client" });
      case "/device_authorization":
        return json(200, {
          device_code: "device-code-1",
          user_code: "WDJB-MJHT",
          verification_uri: options.verificationUri ?? `${issuer}/device`,
          expires_in: 600,
          ...(options.interval === undefined ? {} : { interval: options.interval }),
        });
      case "/token": {
        polls.push(form);
        const step = steps.shift() ?? "expired_token";
        if (step !== "approve") return json(400, { error: step });
        return json(200, {
          access_token: "device-access",
          token_type: "Bearer",
          expires_in: 3600,
          refresh_token: "device-refresh",
        });
      }
      default:
        return json(404, { error: "not_found" });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { issuer: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, polls };
}
