import { readFile } from "node:fs/promises";
import { expect, test } from "vitest";
import { loginWithCloudflared } from "../src/cloudflared-login.js";
import { fakeCloudflared } from "@access-bridge/test-support/fake-cloudflared";

const TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl";

test("--access delegates to `cloudflared access login`, then reads the token", async () => {
  const fake = await fakeCloudflared({ token: TOKEN });
  expect(await loginWithCloudflared({ host: "proxy.example.workers.dev", env: fake.env })).toBe(
    TOKEN,
  );
  const calls = (await readFile(fake.log, "utf8"))
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as string[]);
  expect(calls).toEqual([
    ["access", "login", "https://proxy.example.workers.dev"],
    ["access", "token", "-app=https://proxy.example.workers.dev"],
  ]);
});

test("a failed cloudflared login is reported with the command to retry", async () => {
  const fake = await fakeCloudflared({ token: TOKEN, loginExit: 1 });
  const error = await loginWithCloudflared({
    host: "proxy.example.workers.dev",
    env: fake.env,
  }).catch((caught: unknown) => caught);
  expect(error).toMatchObject({ code: "ERR_CLOUDFLARED_FAILED" });
  expect((error as Error).message).toContain(
    "cloudflared access login https://proxy.example.workers.dev",
  );
  expect((error as Error).message).not.toContain(TOKEN);
});

test("no cloudflared on PATH says how to get it", async () => {
  const attempt = loginWithCloudflared({
    host: "proxy.example.workers.dev",
    cloudflared: "/nonexistent/cloudflared",
  });
  await expect(attempt).rejects.toMatchObject({ code: "ERR_CLOUDFLARED_FAILED" });
});
