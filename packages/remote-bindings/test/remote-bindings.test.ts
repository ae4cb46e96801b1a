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
    // Only the non-secret name of where credentials come from (here: the option, which says none).
    expect(remote.workers[0].bindings).toEqual({ ACCESS_BRIDGE_CREDENTIAL_SOURCE: "option" });
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

  describe("the facade that pipelines a service binding's chains", () => {
    const modulesWorker = { name: "user", modules: true, script: "export default {}" };
    const installer = (worker: object) =>
      (worker as { modules?: { path: string; contents?: string }[] }).modules?.find((module) =>
        module.path.endsWith("install-facades.mjs"),
      )?.contents;

    it("goes in front of an ES-modules worker, and nowhere with pipeline: false", () => {
      const remote = remoteBindings({
        remoteUrl: "https://x.dev",
        bindings: { API: { type: "service" }, RAW: { type: "service", pipeline: false } },
        credentials: null,
      });
      expect(installer(remote.apply(modulesWorker))).toContain(
        'installRemoteFacades({"API":"service"})',
      );
      const plainOnly = remoteBindings({
        remoteUrl: "https://x.dev",
        bindings: { RAW: { type: "service", pipeline: false } },
        credentials: null,
      });
      expect(plainOnly.apply(modulesWorker)).toMatchObject({ script: "export default {}" });
    });

    it("leaves a service-worker script as it is: its bindings stay plain", () => {
      const remote = remoteBindings({
        remoteUrl: "https://x.dev",
        bindings: { API: { type: "service" } },
        credentials: null,
      });
      const worker = remote.apply({ name: "user", script: "addEventListener('fetch', () => {})" });
      expect(worker).toMatchObject({ script: "addEventListener('fetch', () => {})" });
      expect((worker as { modules?: unknown }).modules).toBeUndefined();
    });

    it("wraps once per remote, each remote's modules in a folder of their own", () => {
      const [first, second] = ["https://one.dev", "https://two.dev"].map((remoteUrl) =>
        remoteBindings({
          remoteUrl,
          bindings: { [remoteUrl.includes("one") ? "ONE" : "TWO"]: { type: "service" } },
          credentials: null,
        }),
      );
      const worker = second!.apply(first!.apply(modulesWorker)) as {
        modules: { path: string }[];
      };
      const paths = worker.modules.map((module) => module.path);
      expect(new Set(paths).size).toBe(paths.length);
      expect(installer(worker)).toContain('{"TWO":"service"}');
      expect(worker.modules.map((module) => (module as { contents?: string }).contents)).toEqual(
        expect.arrayContaining([expect.stringContaining('{"ONE":"service"}')]),
      );
    });

    it("refuses a pipeline option that is not a boolean", () => {
      expect(() =>
        remoteBindings({
          remoteUrl: "https://x.dev",
          bindings: { API: { type: "service", pipeline: "no" as unknown as boolean } },
          credentials: null,
        }),
      ).toThrow(/bindings\.API\.pipeline/);
    });
  });
});

describe("remoteBindingsErrorCode", () => {
  it("reads the code back from a message that crossed a service binding", () => {
    const error = new RemoteBindingsError("ERR_ACCESS_NO_CREDENTIALS", "blocked");
    expect(remoteBindingsErrorCode(new Error(error.message))).toBe("ERR_ACCESS_NO_CREDENTIALS");
    expect(remoteBindingsErrorCode(new Error("[ERR_SOMETHING_ELSE] no"))).toBeUndefined();
  });
});
