import { describe, expect, it } from "vitest";
import { AccessBridgeError, errorCode, errorDetail } from "../src/access-bridge-error.js";

class ExampleError extends AccessBridgeError<"ERR_EXAMPLE" | "ERR_OTHER"> {
  override readonly name = "ExampleError";
}

describe("AccessBridgeError", () => {
  it("carries its code, its cause, and the code at the head of its message", () => {
    const cause = new Error("underneath");
    const error = new ExampleError("ERR_EXAMPLE", "Something happened. Do this.", { cause });
    expect(error).toBeInstanceOf(AccessBridgeError);
    expect(error.code).toBe("ERR_EXAMPLE");
    expect(error.cause).toBe(cause);
    expect(error.message).toBe("[ERR_EXAMPLE] Something happened. Do this.");
    expect(error.detail).toBe("Something happened. Do this.");
    expect(String(error)).toBe("ExampleError: [ERR_EXAMPLE] Something happened. Do this.");
  });

  it("has its code read back from a message that crossed a boundary", () => {
    const crossed = new Error(new ExampleError("ERR_OTHER", "Lost its class.").message);
    expect(errorCode(crossed)).toBe("ERR_OTHER");
    expect(errorCode(new Error(`Error: ${crossed.message}`))).toBe("ERR_OTHER");
    expect(errorCode(new ExampleError("ERR_EXAMPLE", "x"))).toBe("ERR_EXAMPLE");
    expect(errorCode(new Error("no code here"))).toBeUndefined();
    expect(errorCode("[not a code] x")).toBeUndefined();
  });
});

describe("errorDetail", () => {
  it("is the words without the code, of any error", () => {
    expect(errorDetail(new ExampleError("ERR_EXAMPLE", "Do this."))).toBe("Do this.");
    expect(errorDetail(new Error("plain"))).toBe("plain");
    expect(errorDetail("thrown text")).toBe("thrown text");
  });
});
