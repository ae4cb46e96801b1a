// The KV facade of the user's isolate (src/workers/user-facades/kv.ts) over the proxy server's KV
// adapter (src/workers/proxy-server/kv-adapter.ts) and a real KV namespace, in workerd: each
// answer has the type KV gives (ArrayBuffer, stream, Map for bulk gets), not what RPC carries.
import { storageScenarios } from "./support/storage-scenarios.js";

const VALUE = '{"a":1}';

storageScenarios("kv", {
  "get: each value type, as a string or an options object": {
    binding: {
      default: VALUE,
      text: VALUE,
      json: { a: 1 },
      jsonWithCacheTtl: { a: 1 },
      arrayBuffer: { ArrayBuffer: VALUE },
      arrayBufferObject: { ArrayBuffer: VALUE },
      stream: { ReadableStream: VALUE },
      missing: null,
      missingArrayBuffer: null,
      missingStream: null,
    },
  },
  "put: strings, buffers, views at an offset, streams; then metadata and expiry": {
    binding: {
      string: "text",
      arrayBuffer: "buffer",
      subarray: "hi",
      dataView: "hi",
      stream: "streamed",
      withMetadata: { value: "v", metadata: { n: 1 }, cacheStatus: null },
    },
  },
  "put: a number, a boolean or null is stored as its string": {
    binding: {
      number: { put: { resolved: "<undefined>" }, read: "42" },
      boolean: { put: { resolved: "<undefined>" }, read: "true" },
      null: { put: { resolved: "<undefined>" }, read: "null" },
    },
  },
  "getWithMetadata: value types, no metadata, a missing key": {
    binding: {
      text: { value: VALUE, metadata: { n: 1 }, cacheStatus: null },
      json: { value: { a: 1 }, metadata: { n: 1 } },
      arrayBuffer: { value: { ArrayBuffer: VALUE }, metadata: { n: 1 } },
      stream: { ReadableStream: VALUE },
      noMetadata: { value: "v", metadata: null },
      missing: { value: null, metadata: null },
    },
  },
  "bulk get: a Map of every key asked, missing ones null": {
    binding: {
      text: {
        Map: [
          ["a", VALUE],
          ["b", "[2]"],
          ["missing", null],
        ],
      },
      json: {
        Map: [
          ["a", { a: 1 }],
          ["b", [2]],
          ["missing", null],
        ],
      },
      jsonObject: {
        Map: [
          ["a", { a: 1 }],
          ["b", [2]],
          ["missing", null],
        ],
      },
      withMetadata: {
        Map: [
          ["a", { value: VALUE, metadata: null }],
          ["b", { value: "[2]", metadata: { m: 2 } }],
          ["missing", null],
        ],
      },
      withMetadataJson: {
        Map: [
          ["a", { value: { a: 1 }, metadata: null }],
          ["b", { value: [2], metadata: { m: 2 } }],
          ["missing", null],
        ],
      },
    },
  },
  "list: prefix, metadata, limit and cursor": {
    binding: {
      all: {
        keys: [{ name: "p/1", metadata: { i: 1 } }, { name: "p/2" }, { name: "p/3" }],
        list_complete: true,
      },
      firstPage: {
        keys: [{ name: "p/1" }, { name: "p/2" }],
        list_complete: false,
        cursor: "string",
      },
      rest: { keys: [{ name: "p/3" }], list_complete: true },
    },
  },
  "delete: a key, then a key that is not there": {
    binding: {
      deleted: { resolved: "<undefined>" },
      after: null,
      missing: { resolved: "<undefined>" },
    },
  },
});
