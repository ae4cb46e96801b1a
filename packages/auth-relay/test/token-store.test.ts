import { chmod, readdir, stat, writeFile } from "node:fs/promises";
import { expect, test } from "vitest";
import type { StoredLogin } from "../src/token-store.js";
import { tempStore } from "./support/temp-store.js";

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

test("refuses to read a token file other users can read", async () => {
  const store = await tempStore();
  const file = await store.write(sample("https://a.example"));
  await chmod(file, 0o644);
  await expect(store.read("https://a.example")).rejects.toMatchObject({
    code: "token_file_insecure",
  });
});

test("reports a corrupt token file with its path and the fix", async () => {
  const store = await tempStore();
  const file = await store.write(sample("https://a.example"));
  await writeFile(file, "{not json");
  const error = await store.read("https://a.example").catch((caught: unknown) => caught);
  expect(error).toMatchObject({ code: "token_file_corrupt" });
  expect((error as Error).message).toContain(file);
});
