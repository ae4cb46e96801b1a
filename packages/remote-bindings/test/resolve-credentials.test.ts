import { format, inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  credentialsForUrl,
  RemoteBindingsError,
  resolveAccessCredentials,
} from "@access-bridge/remote-bindings";

function resolve(env: Record<string, string>, options = {}) {
  const warnings: string[] = [];
  const credentials = resolveAccessCredentials(env, {
    onWarning: (message) => warnings.push(message),
    ...options,
  });
  return { credentials, warnings };
}

describe("resolveAccessCredentials", () => {
  it("reads a service token from CLOUDFLARE_ACCESS_CLIENT_ID and _SECRET", () => {
    const { credentials, warnings } = resolve({
      CLOUDFLARE_ACCESS_CLIENT_ID: "id.access",
      CLOUDFLARE_ACCESS_CLIENT_SECRET: "secret",
      CLOUDFLARE_ACCESS_TOKEN: "user-token",
    });
    expect(credentials.fallback).toEqual({ clientId: "id.access", clientSecret: "secret" });
    expect(warnings).toEqual([]);
  });

  it.each([
    ["CLOUDFLARE_ACCESS_CLIENT_ID", "CLOUDFLARE_ACCESS_CLIENT_SECRET"],
    ["CLOUDFLARE_ACCESS_CLIENT_SECRET", "CLOUDFLARE_ACCESS_CLIENT_ID"],
  ])("warns, naming the missing variable, when only %s is set", (set, missing) => {
    const { credentials, warnings } = resolve({ [set]: "value-never-shown" });
    expect(credentials.fallback).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${set} is set but ${missing} is not`);
    expect(warnings[0]).not.toContain("value-never-shown");
  });

  it("falls back to CLOUDFLARE_ACCESS_TOKEN, also after a half service token", () => {
    expect(resolve({ CLOUDFLARE_ACCESS_TOKEN: "user-token" }).credentials.fallback).toEqual({
      token: "user-token",
    });
    const half = resolve({ CLOUDFLARE_ACCESS_CLIENT_ID: "id", CLOUDFLARE_ACCESS_TOKEN: "t" });
    expect(half.credentials.fallback).toEqual({ token: "t" });
    expect(half.warnings).toHaveLength(1);
  });

  it("has no credentials when nothing is set, and treats empty variables as unset", () => {
    const { credentials, warnings } = resolve({
      CLOUDFLARE_ACCESS_CLIENT_ID: "",
      CLOUDFLARE_ACCESS_TOKEN: "",
    });
    expect(credentials.fallback).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it("lets an explicit option win over the environment", () => {
    const { credentials } = resolve(
      { CLOUDFLARE_ACCESS_TOKEN: "from-env" },
      { explicit: { token: "explicit" } },
    );
    expect(credentials.fallback).toEqual({ token: "explicit" });
  });

  it("keeps per-host credentials, keyed by lower-case host", () => {
    const { credentials } = resolve(
      {},
      { hosts: { "A.example.workers.dev": { clientId: "a", clientSecret: "b" } } },
    );
    expect(credentials.byHost).toEqual({
      "a.example.workers.dev": { clientId: "a", clientSecret: "b" },
    });
  });

  it("rejects malformed options, naming the option path", () => {
    expect(() => resolve({}, { hosts: { "x.dev": { clientId: "only-id" } } })).toThrowError(
      expect.objectContaining({
        code: "ERR_INVALID_OPTION",
        message: expect.stringContaining('resolveAccessCredentials({ hosts["x.dev"] })'),
      }),
    );
    expect(() => resolve({}, { explicit: { token: "" } })).toThrow(RemoteBindingsError);
  });

  it("never prints or serialises the secrets, at any depth", () => {
    const { credentials } = resolve(
      { CLOUDFLARE_ACCESS_CLIENT_ID: "0123456789abcdef", CLOUDFLARE_ACCESS_CLIENT_SECRET: "hush" },
      { hosts: { "b.dev": { token: "hush-token" } } },
    );
    const forHost = credentialsForUrl(credentials, new URL("https://b.dev/"));
    const forOther = credentialsForUrl(credentials, new URL("https://other.dev/"));
    const shown = [
      inspect(credentials),
      JSON.stringify(credentials),
      inspect(credentials.byHost),
      JSON.stringify({ byHost: credentials.byHost }),
      inspect(credentials.fallback),
      JSON.stringify([credentials.fallback]),
      format("%o %O %j", forHost, { nested: { forOther } }, forOther),
    ];
    // The values are there to be found (so the checks below can fail)…
    expect((forOther as { clientSecret: string }).clientSecret).toBe("hush");
    expect((forHost as { token: string }).token).toBe("hush-token");
    // …and never printed.
    for (const text of shown) expect(text).not.toContain("hush");
    expect(inspect(credentials)).toContain("client id 01234567…");
    expect(inspect(forHost)).toBe("an Access user token");
  });
});
