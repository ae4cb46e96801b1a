// relayedBody() (src/workers/user-facades/relayed-body.ts) in workerd: a byte call's body of
// known length is passed on through a FixedLengthStream, so it keeps its length and its bytes,
// and a body that ends short, fails or is cancelled behaves as the body itself would; any other
// body is passed on untouched.
import { expect, it } from "vitest";
import { useUnitWorker } from "./support/start-unit-worker.js";

const worker = useUnitWorker("relayed-body.worker.ts", { r2Buckets: ["BUCKET"] });
const run = (name: string) => worker.get(`/${encodeURIComponent(name)}`);

it("a body of known length keeps its length (R2 takes it as a value) and its bytes", async () => {
  const bytes = 3 * 1024 * 1024 + 5;
  expect(await run("known length")).toEqual({
    relayed: true,
    stored: bytes,
    read: { read: bytes, wrong: 0 },
  });
});

it("a body without a length, or one the client decodes, is passed on as it is", async () => {
  expect(await run("no length: passed on as it is")).toEqual({
    same: true,
    read: { read: 1000, wrong: 0 },
  });
  expect(await run("an encoded body: passed on as it is")).toEqual({ same: true });
  expect(await run("no body")).toEqual({ body: null });
});

it("a body that ends short of its length, or fails, errors the reader's stream", async () => {
  const short = (await run("ends short")) as { read: number; error?: string };
  expect(short.read).toBe(1000);
  expect(short.error).toEqual(expect.any(String));
  const failed = (await run("fails mid-body")) as { read: number; error?: string };
  expect(failed.read).toBeLessThanOrEqual(200_000);
  expect(failed.error).toBe("the remote's body failed");
});

it("a reader that cancels cancels the remote's body", async () => {
  expect(await run("a cancelled reader cancels the remote's body")).toEqual({ cancelled: true });
});
