import { chmod, readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { AccessTokenStore, describeSkipped, jwtExpiry } from "../src/access-token-store.js";
import { getAccessToken, logout, whoami } from "../src/session.js";
import type { StoredLogin } from "../src/token-store.js";
import { tempStore } from "@access-bridge/test-support/temp-store";

const sample = (issuer: string, accessToken = "at-1"): StoredLogin => ({
  issuer,
  clientId: "client",
  tokenEndpoint: `${issuer}/token`,
  accessToken,
  tokenType: "Bearer",
  obtainedAt: Date.now(),
});

test("writes one 0600 file per issuer in a 0700 directory, even with a permissive umask", async () => {
  const store = await tempStore();
  const previous = process.umask(0o000);
  try {
    await store.write(sample("https://a.example"));
    await store.write(sample("https://b.example"));
  } finally {
    process.umask(previous);
  }
  expect((await stat(store.dir)).mode & 0o777).toBe(0o700);
  for (const issuer of ["https://a.example", "https://b.example"]) {
    expect((await stat(store.fileFor(issuer))).mode & 0o777).toBe(0o600);
  }
  expect(store.fileFor("https://a.example")).not.toBe(store.fileFor("https://b.example"));
});

test("replaces a file atomically and leaves no temporary file behind", async () => {
  const store = await tempStore();
  await store.write(sample("https://a.example", "first"));
  await store.write(sample("https://a.example", "second"));
  expect((await store.read("https://a.example"))?.accessToken).toBe("second");
  expect(await readdir(store.dir)).toEqual([store.fileFor("https://a.example").split("/").pop()]);
});

test("a file other users can read is reported once, treated as absent, and deleted by logout", async () => {
  const warnings: string[] = [];
  const store = await tempStore({ onUnusable: (message) => warnings.push(message) });
  const file = await store.write(sample("https://a.example"));
  await store.write(sample("https://b.example"));
  await chmod(file, 0o644);

  expect(await store.read("https://a.example")).toBeUndefined();
  expect((await store.list()).map((login) => login.issuer)).toEqual(["https://b.example"]);
  expect((await whoami({ store })).map((entry) => entry.issuer)).toEqual(["https://b.example"]);
  await expect(getAccessToken({ issuer: "https://a.example", store })).rejects.toMatchObject({
    code: "ERR_NOT_LOGGED_IN",
  });
  expect(warnings).toEqual([
    `Ignoring ${file}: other users can read it, so the token in it may already be exposed. Delete it (or run \`access-bridge logout\`), then run \`access-bridge login\` again.`,
  ]);
  expect(store.unusable()).toEqual([{ file, reason: "insecure" }]);

  expect(await logout({ issuer: "https://a.example/", store })).toEqual({
    issuer: "https://a.example",
    revoked: false,
    removed: true,
    unusable: true,
  });
  await expect(stat(file)).rejects.toMatchObject({ code: "ENOENT" });
  expect(store.unusable()).toEqual([]);
});

test("a corrupt file is reported once with its path, and the other logins still work", async () => {
  const warnings: string[] = [];
  const store = await tempStore({ onUnusable: (message) => warnings.push(message) });
  const file = await store.write(sample("https://a.example"));
  await store.write(sample("https://b.example", "at-b"));
  await writeFile(file, "{not json");

  expect(await whoami({ store })).toHaveLength(1);
  expect(await getAccessToken({ issuer: "https://b.example", store })).toBe("at-b");
  expect(await store.read("https://a.example")).toBeUndefined();
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain(`Ignoring ${file}: it is not a stored login`);
  expect(store.unusable()).toEqual([{ file, reason: "corrupt" }]);
  expect(await logout({ issuer: "https://a.example", store })).toMatchObject({
    removed: true,
    unusable: true,
  });
  expect(await readdir(store.dir)).toHaveLength(1);
});

test("a JSON file that is not a login is corrupt too, and nothing of it is printed", async () => {
  const warnings: string[] = [];
  const store = await tempStore({ onUnusable: (message) => warnings.push(message) });
  const file = store.fileFor("https://a.example");
  await store.write(sample("https://b.example"));
  await writeFile(file, JSON.stringify({ issuer: "https://a.example", accessToken: "leak-me" }), {
    mode: 0o600,
  });
  expect(await store.read("https://a.example")).toBeUndefined();
  expect(warnings.join("\n")).not.toContain("leak-me");
  expect(store.unusable()).toEqual([{ file, reason: "corrupt" }]);
});

describe("the Access token store (same implementation)", () => {
  const jwt = (claims: object) =>
    `${Buffer.from('{"alg":"RS256"}').toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;

  test("keeps a JWT's exp as expiresAt, and no expiry for anything else", async () => {
    const store = new AccessTokenStore(path.join((await tempStore()).dir, "..", "access"));
    const stored = await store.write("Proxy.Example.workers.dev", jwt({ exp: 2_000_000_000 }));
    expect(stored).toMatchObject({
      host: "proxy.example.workers.dev",
      expiresAt: 2_000_000_000_000,
    });
    expect((await stat(stored.file)).mode & 0o777).toBe(0o600);
    expect(jwtExpiry("not-a-jwt")).toBeUndefined();
    expect(jwtExpiry(jwt({ exp: "soon" }))).toBeUndefined();
    expect(jwtExpiry("a.%%%.c")).toBeUndefined();
  });

  test("an unusable file is skipped, handed out once for reporting, and removable", async () => {
    const store = new AccessTokenStore(path.join((await tempStore()).dir, "..", "access"));
    const good = await store.write("a.example", jwt({ exp: 2_000_000_000 }));
    const bad = await store.write("b.example", "token-b");
    await writeFile(bad.file, "[]");

    const first = store.listSync();
    expect(first.tokens.map((entry) => entry.host)).toEqual(["a.example"]);
    expect(first.skipped).toEqual([{ file: bad.file, reason: "corrupt" }]);
    expect(describeSkipped(first.skipped[0]!)).toContain("`access-bridge login --access <host>`");
    expect(store.listSync().skipped).toEqual([]);
    expect(await store.remove("B.example")).toBe(true);
    expect(store.unusable()).toEqual([]);
    expect(store.listSync().tokens).toHaveLength(1);
    expect(good.file).not.toBe(bad.file);
  });
});
