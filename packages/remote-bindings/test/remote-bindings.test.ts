import { describe, expect, it } from "vitest";
import {
  proxyClientScriptPath,
  remoteBindings,
  remoteBindingsErrorCode,
  RemoteBindingsError,
} from "@access-bridge/remote-bindings";

const TOKEN = { clientId: "id.access", clientSecret: "secret-value" };

describe("remoteBindings", () => {
  it("adds one service binding per remote binding, with its settings as props", () => {
    const remote = remoteBindings({
      remoteUrl: "https://bindings-proxy.example.workers.dev",
      bindings: { API: { type: "service" }, AI: { type: "fetcher", remoteName: "REMOTE_AI" } },
      credentials: TOKEN,
    });
    const worker = remote.apply({ name: "user", script: "", bindings: { KEEP: "me" } });
    expect(worker.bindings).toEqual({ KEEP: "me" });
    expect(worker.serviceBindings).toEqual({
      API: {
        name: "access-bridge-proxy-client-bindings-proxy.example.workers.dev",
        props: {
          binding: "API",
          remoteUrl: "https://bindings-proxy.example.workers.dev/",
          type: "service",
        },
      },
      AI: {
        name: "access-bridge-proxy-client-bindings-proxy.example.workers.dev",
        props: {
          binding: "REMOTE_AI",
          remoteUrl: "https://bindings-proxy.example.workers.dev/",
          type: "fetcher",
        },
      },
    });
    expect(JSON.stringify(worker)).not.toContain(TOKEN.clientSecret);
  });

  it("gives the credentials to the proxy-client worker only", () => {
    const remote = remoteBindings({
      remoteUrl: "https://p.example.workers.dev",
      bindings: { API: { type: "service" } },
      credentials: { token: "user-token" },
    });
    expect(remote.workers).toHaveLength(1);
    expect(remote.workers[0]).toMatchObject({
      scriptPath: proxyClientScriptPath,
      bindings: { accessToken: "user-token" },
    });
  });

  it("sends no credentials with credentials: null, whatever the environment says", () => {
    const remote = remoteBindings({
      remoteUrl: "https://p.example.workers.dev",
      bindings: { API: { type: "service" } },
      credentials: null,
    });
    expect(remote.workers[0].bindings).toEqual({});
  });

  it.each([
    [{ remoteUrl: "ftp://x", bindings: { A: { type: "service" } } }, "remoteUrl"],
    [{ remoteUrl: "not a url", bindings: { A: { type: "service" } } }, "remoteUrl"],
    [{ remoteUrl: "https://x.dev", bindings: {} }, "bindings"],
    [{ remoteUrl: "https://x.dev", bindings: { "A-B": { type: "service" } } }, "bindings.A-B"],
    [{ remoteUrl: "https://x.dev", bindings: { A: { type: "hyperdrive" } } }, "bindings.A.type"],
    [
      { remoteUrl: "https://x.dev", bindings: { A: { type: "service", remoteName: "a-b" } } },
      "bindings.A.remoteName",
    ],
    [
      { remoteUrl: "https://x.dev", bindings: { A: { type: "service" } }, credentials: {} },
      "credentials",
    ],
  ])("validates its options: %j", (options, path) => {
    let error: unknown;
    try {
      remoteBindings(options as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RemoteBindingsError);
    expect((error as RemoteBindingsError).code).toBe("ERR_INVALID_OPTION");
    expect((error as Error).message).toContain(path);
  });

  it("refuses to shadow a service binding the worker already has", () => {
    const remote = remoteBindings({
      remoteUrl: "https://x.dev",
      bindings: { API: { type: "service" } },
      credentials: null,
    });
    expect(() => remote.apply({ script: "", serviceBindings: { API: "other" } })).toThrow(
      /bindings\.API.*clashes/,
    );
  });
});

describe("remoteBindingsErrorCode", () => {
  it("reads the code back from a message that crossed a service binding", () => {
    const error = new RemoteBindingsError("ERR_ACCESS_NO_CREDENTIALS", "blocked");
    expect(remoteBindingsErrorCode(new Error(error.message))).toBe("ERR_ACCESS_NO_CREDENTIALS");
    expect(remoteBindingsErrorCode(new Error("[ERR_SOMETHING_ELSE] no"))).toBeUndefined();
  });
});
