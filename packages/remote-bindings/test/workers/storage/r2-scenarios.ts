// R2 calls whose answers the facade over the adapter must give exactly as the R2 binding does.
import { describe, hex, outcome } from "./observe.js";

const CHECKSUMS = ["md5", "sha1", "sha256", "sha384", "sha512"] as const;
const SHA256_OF_HELLO = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

/** An R2Object as its user sees it: fields, checksums as bytes, and writeHttpMetadata(). */
function object(value: R2Object | null): unknown {
  if (value === null) return null;
  const headers = new Headers();
  value.writeHttpMetadata(headers);
  const checksums = value.checksums as unknown as Record<string, unknown>;
  return {
    key: value.key,
    version: typeof value.version,
    size: value.size,
    etag: value.etag,
    httpEtag: value.httpEtag,
    uploaded: value.uploaded instanceof Date,
    httpMetadata: describe({ ...value.httpMetadata }),
    customMetadata: describe({ ...value.customMetadata }),
    checksums: Object.fromEntries(
      CHECKSUMS.filter((name) => checksums[name] !== undefined).map((name) => {
        const sum = checksums[name];
        return [name, sum instanceof ArrayBuffer ? { ArrayBuffer: hex(sum) } : describe(sum)];
      }),
    ),
    checksumsJson: describe(value.checksums.toJSON()),
    storageClass: value.storageClass,
    range: describe(value.range),
    writeHttpMetadata: [...headers],
    hasBody: "body" in value,
  };
}

async function put(bucket: R2Bucket, key: string, value: unknown, options?: R2PutOptions) {
  return object(await bucket.put(key, value as never, options));
}

export const r2Scenarios: Record<string, (bucket: R2Bucket) => Promise<unknown>> = {
  async "put and head: the object, its metadata, checksums as ArrayBuffers, writeHttpMetadata"(
    bucket,
  ) {
    const options: R2PutOptions = {
      httpMetadata: {
        contentType: "text/plain",
        contentLanguage: "en",
        contentDisposition: "inline",
        contentEncoding: "identity",
        cacheControl: "no-cache",
        cacheExpiry: new Date("2030-01-02T03:04:05Z"),
      },
      customMetadata: { owner: "test" },
      sha256: SHA256_OF_HELLO,
    };
    return {
      put: await put(bucket, "head/k", "hello", options),
      head: object(await bucket.head("head/k")),
      headMissing: object(await bucket.head("missing")),
      getMissing: object(await bucket.get("missing")),
    };
  },

  async "put: each value type, and a put whose condition fails answers null"(bucket) {
    const padded = new Uint8Array([0, 104, 105, 0]);
    const stored = async (key: string, value: unknown) => {
      const written = (await put(bucket, key, value)) as { size: number; etag: string };
      const read = await bucket.get(key);
      return { size: written.size, etag: written.etag, text: await read?.text() };
    };
    return {
      string: await stored("put/string", "text"),
      arrayBuffer: await stored("put/arrayBuffer", new TextEncoder().encode("buffer").buffer),
      subarray: await stored("put/subarray", padded.subarray(1, 3)),
      dataView: await stored("put/dataView", new DataView(padded.buffer, 1, 2)),
      blob: await stored("put/blob", new Blob(["blob"])),
      null: await stored("put/null", null),
      failedCondition: await put(bucket, "put/string", "again", {
        onlyIf: { etagMatches: "not-the-etag" },
      }),
    };
  },

  // R2 needs a stream's length up front; a stream that crossed RPC no longer says it, so the
  // adapter reads it whole (r2-adapter.ts), and the facade takes what the binding refuses.
  async "put: a stream of unknown length"(bucket) {
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("streamed"));
        controller.close();
      },
    });
    const written = await outcome(() => bucket.put("stream/k", stream));
    return { written: Object.keys(written)[0], text: await (await bucket.get("stream/k"))?.text() };
  },

  async "get: the body is a stream read once, through every reader"(bucket) {
    await bucket.put("body/k", '{"n":1}', { httpMetadata: { contentType: "application/json" } });
    const body = async <T>(read: (object: R2ObjectBody) => Promise<T>) =>
      read((await bucket.get("body/k"))!);
    const first = (await bucket.get("body/k"))!;
    const before = { bodyUsed: first.bodyUsed, body: describe(first.body) };
    const firstText = await first.text();
    return {
      object: object(first),
      before,
      text: firstText,
      after: first.bodyUsed,
      readAgain: await outcome(() => first.text()),
      arrayBuffer: await body(async (o) => describe(await o.arrayBuffer())),
      bytes: await body(async (o) => describe(await o.bytes())),
      json: await body((o) => o.json()),
      blob: await body(async (o) => {
        const blob = await o.blob();
        return { size: blob.size, text: await blob.text() };
      }),
      stream: await body((o) => new Response(o.body).text()),
    };
  },

  // R2's blob() is typed with the object's content type, as Response.blob() is with its own.
  async "get: blob() carries the object's content type"(bucket) {
    await bucket.put("blob/k", "{}", { httpMetadata: { contentType: "application/json" } });
    const blob = await (await bucket.get("blob/k"))!.blob();
    return { type: blob.type, size: blob.size };
  },

  async "get: a condition that does not match answers the object without a body"(bucket) {
    const { etag } = (await bucket.put("if/k", "hello"))!;
    const notModified = await bucket.get("if/k", { onlyIf: { etagDoesNotMatch: etag } });
    const viaHeaders = await bucket.get("if/k", {
      onlyIf: new Headers({ "If-None-Match": `"${etag}"` }),
    });
    const matching = (await bucket.get("if/k", { onlyIf: { etagMatches: etag } })) as R2ObjectBody;
    return {
      notModified: object(notModified),
      bodyUsed: describe((notModified as Partial<R2ObjectBody>).bodyUsed),
      viaHeaders: object(viaHeaders),
      matching: { hasBody: "body" in matching, text: await matching.text() },
    };
  },

  async "get: ranges"(bucket) {
    await bucket.put("range/k", "hello world");
    const ranged = async (range: R2Range | Headers) => {
      const read = (await bucket.get("range/k", { range }))!;
      return { range: describe(read.range), text: await read.text() };
    };
    return {
      offsetLength: await ranged({ offset: 1, length: 3 }),
      suffix: await ranged({ suffix: 5 }),
      header: await ranged(new Headers({ Range: "bytes=0-4" })),
    };
  },

  async "list: prefix, delimiter, include, limit and cursor"(bucket) {
    const meta = { httpMetadata: { contentType: "text/plain" }, customMetadata: { i: "1" } };
    await bucket.put("l/1", "one", meta);
    await bucket.put("l/2", "two");
    await bucket.put("l/sub/3", "three");
    await bucket.put("m/1", "four");
    const listed = (result: R2Objects) => ({
      objects: result.objects.map(object),
      truncated: result.truncated,
      cursor: typeof (result as { cursor?: string }).cursor,
      delimitedPrefixes: result.delimitedPrefixes,
    });
    const page = await bucket.list({ prefix: "l/", limit: 1 });
    return {
      prefix: listed(await bucket.list({ prefix: "l/" })),
      include: listed(
        await bucket.list({ prefix: "l/", include: ["httpMetadata", "customMetadata"] }),
      ),
      delimiter: listed(await bucket.list({ prefix: "l/", delimiter: "/" })),
      page: listed(page),
      next: listed(
        await bucket.list({ prefix: "l/", cursor: page.truncated ? page.cursor : undefined }),
      ),
    };
  },

  async "multipart: create, upload parts, resume synchronously, complete, abort"(bucket) {
    const upload = await bucket.createMultipartUpload("mp", {
      httpMetadata: { contentType: "text/plain" },
      customMetadata: { parts: "2" },
    });
    // R2 wants every part but the last to be at least 5 MiB.
    const first = await upload.uploadPart(1, "a".repeat(5 * 1024 * 1024));
    const resumed = bucket.resumeMultipartUpload("mp", upload.uploadId);
    const resumedIsPromise = typeof (resumed as unknown as { then?: unknown }).then;
    const second = await resumed.uploadPart(2, new TextEncoder().encode("tail"));
    const completed = await resumed.complete([first, second]);
    const read = (await bucket.get("mp"))!;
    const readText = await read.text();

    const aborted = await bucket.createMultipartUpload("aborted");
    await aborted.abort();
    return {
      upload: { key: upload.key, uploadId: typeof upload.uploadId },
      parts: [first, second].map((part) => ({
        partNumber: part.partNumber,
        etag: typeof part.etag,
      })),
      resumed: { key: resumed.key, sameId: resumed.uploadId === upload.uploadId, resumedIsPromise },
      completed: object(completed),
      read: { size: readText.length, tail: readText.slice(-6) },
      partAfterAbort: await outcome(() => aborted.uploadPart(1, "late")),
      afterAbort: object(await bucket.head("aborted")),
    };
  },

  async "delete: one key, several keys, a missing key"(bucket) {
    for (const key of ["del/a", "del/b", "del/c", "del/d"]) await bucket.put(key, key);
    return {
      one: await outcome(() => bucket.delete("del/a")),
      several: await outcome(() => bucket.delete(["del/b", "del/c"])),
      missing: await outcome(() => bucket.delete("del/missing")),
      left: (await bucket.list({ prefix: "del/" })).objects.map((o) => o.key),
    };
  },
};
