import { describe, expect, it } from "vitest";
import {
  decodeFirstMessages,
  encodeFirstMessages,
  FIRST_MESSAGES_MAX_BYTES,
} from "../src/workers/shared/first-messages.js";

describe("the first messages of a session, in its upgrade request", () => {
  it("round-trip, quotes, newlines and non-Latin-1 text included", () => {
    const messages = ['["push",["pipeline",0,["greet"],["bö\\n\\"b\\"🙂"]]]', '["pull",1]'];
    const encoded = encodeFirstMessages(messages)!;
    expect(encoded.count).toBe(2);
    expect(encoded.header).toMatch(/^[\x21-\x7e]+$/);
    expect(decodeFirstMessages(encoded.header)).toEqual(messages);
  });

  it("take the longest run from the first that fits, or none", () => {
    const big = "x".repeat(FIRST_MESSAGES_MAX_BYTES);
    expect(encodeFirstMessages(["a", "b", big])?.count).toBe(2);
    expect(encodeFirstMessages([big, "a"])).toBeUndefined();
    expect(encodeFirstMessages([])).toBeUndefined();
  });

  it("refuse anything else", () => {
    for (const header of ["%", "{}", '["a",1]', encodeURIComponent('"a"'), "x".repeat(9000)]) {
      expect(decodeFirstMessages(header)).toBeUndefined();
    }
  });
});
