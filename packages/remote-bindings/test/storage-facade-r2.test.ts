// The R2 facade of the user's isolate (src/workers/user-facades/r2.ts) over the proxy server's R2
// adapter (src/workers/proxy-server/r2-adapter.ts) and a real bucket, in workerd: objects with
// checksums as ArrayBuffers and writeHttpMetadata(), bodies read once with bodyUsed, a
// conditional get that does not match, ranges, lists and multipart uploads.
import { storageScenarios } from "./support/storage-scenarios.js";

const HELLO_MD5 = "5d41402abc4b2a76b9719d911017c592";
const HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

const helloObject = {
  key: "head/k",
  version: "string",
  size: 5,
  etag: HELLO_MD5,
  httpEtag: `"${HELLO_MD5}"`,
  uploaded: true,
  httpMetadata: {
    contentType: "text/plain",
    cacheExpiry: { Date: "2030-01-02T03:04:05.000Z" },
  },
  customMetadata: { owner: "test" },
  checksums: { md5: { ArrayBuffer: HELLO_MD5 }, sha256: { ArrayBuffer: HELLO_SHA256 } },
  checksumsJson: { md5: HELLO_MD5, sha256: HELLO_SHA256 },
  writeHttpMetadata: [
    ["cache-control", "no-cache"],
    ["content-disposition", "inline"],
    ["content-encoding", "identity"],
    ["content-language", "en"],
    ["content-type", "text/plain"],
    ["expires", "Wed, 02 Jan 2030 03:04:05 GMT"],
  ],
  hasBody: false,
};

storageScenarios("r2", {
  "put and head: the object, its metadata, checksums as ArrayBuffers, writeHttpMetadata": {
    binding: {
      put: helloObject,
      head: { ...helloObject, range: { offset: 0, length: 5 } },
      headMissing: null,
      getMissing: null,
    },
  },
  "put: each value type, and a put whose condition fails answers null": {
    binding: {
      string: { size: 4, text: "text" },
      arrayBuffer: { size: 6, text: "buffer" },
      subarray: { size: 2, text: "hi" },
      dataView: { size: 2, text: "hi" },
      blob: { size: 4, text: "blob" },
      null: { size: 0, text: "" },
      failedCondition: null,
    },
  },
  "put: a stream of unknown length": {
    binding: { written: "rejected" },
    facade: { written: "resolved", text: "streamed" },
  },
  "get: the body is a stream read once, through every reader": {
    binding: {
      object: { key: "body/k", size: 7, hasBody: true },
      before: { bodyUsed: false, body: { ReadableStream: "unread" } },
      text: '{"n":1}',
      after: true,
      readAgain: { rejected: "TypeError" },
      arrayBuffer: { ArrayBuffer: '{"n":1}' },
      bytes: { Uint8Array: '{"n":1}' },
      json: { n: 1 },
      blob: { size: 7, text: '{"n":1}' },
      stream: '{"n":1}',
    },
  },
  "get: blob() carries the object's content type": {
    binding: { type: "application/json", size: 2 },
  },
  "get: a condition that does not match answers the object without a body": {
    binding: {
      notModified: { key: "if/k", etag: HELLO_MD5, hasBody: false },
      bodyUsed: "<undefined>",
      viaHeaders: { key: "if/k", etag: HELLO_MD5, hasBody: false },
      matching: { hasBody: true, text: "hello" },
    },
  },
  "get: ranges": {
    binding: {
      offsetLength: { range: { offset: 1, length: 3 }, text: "ell" },
      suffix: { range: { offset: 6, length: 5 }, text: "world" },
      header: { range: { offset: 0, length: 5 }, text: "hello" },
    },
  },
  "list: prefix, delimiter, include, limit and cursor": {
    binding: {
      prefix: {
        objects: [{ key: "l/1", customMetadata: {} }, { key: "l/2" }, { key: "l/sub/3" }],
        truncated: false,
        delimitedPrefixes: [],
      },
      include: {
        objects: [
          {
            key: "l/1",
            httpMetadata: { contentType: "text/plain" },
            customMetadata: { i: "1" },
            writeHttpMetadata: [["content-type", "text/plain"]],
          },
          { key: "l/2" },
          { key: "l/sub/3" },
        ],
      },
      delimiter: { objects: [{ key: "l/1" }, { key: "l/2" }], delimitedPrefixes: ["l/sub/"] },
      page: { objects: [{ key: "l/1" }], truncated: true, cursor: "string" },
      next: { objects: [{ key: "l/2" }, { key: "l/sub/3" }], truncated: false },
    },
  },
  "multipart: create, upload parts, resume synchronously, complete, abort": {
    binding: {
      upload: { key: "mp", uploadId: "string" },
      parts: [
        { partNumber: 1, etag: "string" },
        { partNumber: 2, etag: "string" },
      ],
      resumed: { key: "mp", sameId: true, resumedIsPromise: "undefined" },
      completed: {
        key: "mp",
        size: 5 * 1024 * 1024 + 4,
        httpMetadata: { contentType: "text/plain" },
        customMetadata: { parts: "2" },
      },
      read: { size: 5 * 1024 * 1024 + 4, tail: "aatail" },
      partAfterAbort: { rejected: "Error" },
      afterAbort: null,
    },
  },
  "delete: one key, several keys, a missing key": {
    binding: {
      one: { resolved: "<undefined>" },
      several: { resolved: "<undefined>" },
      missing: { resolved: "<undefined>" },
      left: ["del/d"],
    },
  },
});
