// The one Access-block classifier, against Access's answers and the near misses around them
// (see access-answers/README.md for where each shape comes from).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isAccessBlock } from "../src/shared/access-block.js";

const answersDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "access-answers");

/** A Response from an HTTP/1.1 or HTTP/2 answer as `curl -si` prints it. */
function parseAnswer(text: string): Response {
  const [head = "", ...bodyParts] = text.split(/\r?\n\r?\n/);
  const [statusLine = "", ...headerLines] = head.split(/\r?\n/);
  const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(statusLine)?.[1]);
  const headers = new Headers();
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  const body = bodyParts.join("\n\n");
  return new Response(status >= 300 && status < 400 ? null : body, { status, headers });
}

const EXPECTED: Record<string, boolean> = {
  "access-302-login.http": true,
  "access-403-block-page.http": true,
  "waf-1010-block-page.http": false,
  "origin-403-plain.http": false,
  "redirect-elsewhere.http": false,
  "access-logout-redirect.http": false,
};

describe("isAccessBlock", () => {
  it("has a verdict for every answer on file", () => {
    const files = readdirSync(answersDir).filter((file) => file.endsWith(".http"));
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))("%s → %s", async (file, blocked) => {
    const response = parseAnswer(readFileSync(path.join(answersDir, file), "utf8"));
    expect(await isAccessBlock(response)).toBe(blocked);
  });

  it("leaves the body of a 403 it read for the caller", async () => {
    const response = parseAnswer(
      readFileSync(path.join(answersDir, "waf-1010-block-page.http"), "utf8"),
    );
    await isAccessBlock(response);
    expect(await response.text()).toContain("Error 1010");
  });

  it("does not throw on a Location it cannot parse", async () => {
    const response = new Response(null, { status: 302, headers: { Location: "http://[::1" } });
    expect(await isAccessBlock(response)).toBe(false);
  });
});
