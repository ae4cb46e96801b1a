// Which env entries a request may reach on the proxy server: bindings only, never the server's
// own variables, secrets or anything inherited; and bad dispatch options are the client's fault.
import { describe, expect, it } from "vitest";
import { BadRequestError, resolveBinding } from "../src/workers/proxy-server/resolve-binding.js";

class FakeKvNamespace {
  get() {
    return null;
  }
}
class FakeNamespace {
  get(name: string) {
    return { dispatched: name };
  }
}

const env = {
  KV: new FakeKvNamespace(),
  DISPATCHER: new FakeNamespace(),
  CALLBACK: () => "a function binding",
  API_KEY: "a secret string",
  SETTINGS: { json: "var" },
  LIST: [1, 2],
  BLOB: new ArrayBuffer(4),
  ACCESS_AUD: "the server's own config",
};

describe("resolveBinding", () => {
  it("returns bindings", () => {
    expect(resolveBinding(env, "KV", null)).toBe(env.KV);
    expect(resolveBinding(env, "CALLBACK", null)).toBe(env.CALLBACK);
  });

  it.each([
    "API_KEY",
    "SETTINGS",
    "LIST",
    "BLOB",
    "ACCESS_AUD",
    "constructor",
    "__proto__",
    "toString",
    "hasOwnProperty",
    "NOPE",
    "",
  ])("refuses %j as an unknown binding, with a 4xx reason", (name) => {
    expect(() => resolveBinding(env, name, null)).toThrow(BadRequestError);
    expect(() => resolveBinding(env, name, null)).toThrow(/no binding named/);
  });

  it("refuses a request that names no binding", () => {
    expect(() => resolveBinding(env, null, null)).toThrow(/names no binding/);
  });

  it("makes the real get() of a dispatch namespace", () => {
    expect(resolveBinding(env, "DISPATCHER", JSON.stringify({ name: "tenant" }))).toEqual({
      dispatched: "tenant",
    });
  });

  it.each(["not json", "null", "[]", '{"args":{}}', '{"name":7}', "{"])(
    "answers bad dispatch options %j with a plain reason, not a crash",
    (options) => {
      expect(() => resolveBinding(env, "DISPATCHER", options)).toThrow(BadRequestError);
    },
  );

  it("refuses dispatch options on a binding that is not a namespace", () => {
    expect(() => resolveBinding(env, "CALLBACK", '{"name":"x"}')).toThrow(
      /not a dispatch namespace/,
    );
  });

  it("never echoes more than the first 100 characters of a name", () => {
    const name = "N".repeat(5000);
    expect(() => resolveBinding(env, name, null)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("N".repeat(101)) }),
    );
  });
});
