// KV calls whose answers the facade over the adapter must give exactly as the KV binding does.
import { describe, outcome, streamText } from "./observe.js";

const JSON_TEXT = '{"a":1}';

export const kvScenarios: Record<string, (kv: KVNamespace) => Promise<unknown>> = {
  async "get: each value type, as a string or an options object"(kv) {
    await kv.put("json", JSON_TEXT);
    return {
      default: describe(await kv.get("json")),
      text: describe(await kv.get("json", "text")),
      json: describe(await kv.get("json", "json")),
      jsonWithCacheTtl: describe(await kv.get("json", { type: "json", cacheTtl: 60 })),
      arrayBuffer: describe(await kv.get("json", "arrayBuffer")),
      arrayBufferObject: describe(await kv.get("json", { type: "arrayBuffer" })),
      stream: await streamText(await kv.get("json", "stream")),
      missing: describe(await kv.get("missing")),
      missingArrayBuffer: describe(await kv.get("missing", "arrayBuffer")),
      missingStream: describe(await kv.get("missing", "stream")),
    };
  },

  async "put: strings, buffers, views at an offset, streams; then metadata and expiry"(kv) {
    const padded = new Uint8Array([0, 104, 105, 0]);
    await kv.put("string", "text");
    await kv.put("arrayBuffer", new TextEncoder().encode("buffer").buffer as ArrayBuffer);
    await kv.put("subarray", padded.subarray(1, 3));
    await kv.put("dataView", new DataView(padded.buffer, 1, 2));
    await kv.put("stream", new Response("streamed").body!);
    await kv.put("withMetadata", "v", { metadata: { n: 1 }, expirationTtl: 3600 });
    const read = async (key: string) => describe(await kv.get(key));
    return {
      string: await read("string"),
      arrayBuffer: await read("arrayBuffer"),
      subarray: await read("subarray"),
      dataView: await read("dataView"),
      stream: await read("stream"),
      withMetadata: describe(await kv.getWithMetadata("withMetadata")),
    };
  },

  // KV's put() takes a string for any value that is not bytes or a stream, as WebIDL converts it.
  async "put: a number, a boolean or null is stored as its string"(kv) {
    const put = async (key: string, value: unknown) => ({
      put: await outcome(() => kv.put(key, value as never)),
      read: describe(await kv.get(key)),
    });
    return {
      number: await put("number", 42),
      boolean: await put("boolean", true),
      null: await put("null", null),
    };
  },

  async "getWithMetadata: value types, no metadata, a missing key"(kv) {
    await kv.put("m", JSON_TEXT, { metadata: { n: 1 } });
    await kv.put("plain", "v");
    return {
      text: describe(await kv.getWithMetadata("m")),
      json: describe(await kv.getWithMetadata("m", "json")),
      arrayBuffer: describe(await kv.getWithMetadata("m", { type: "arrayBuffer" })),
      stream: await streamText((await kv.getWithMetadata("m", "stream")).value),
      noMetadata: describe(await kv.getWithMetadata("plain")),
      missing: describe(await kv.getWithMetadata("missing")),
    };
  },

  async "bulk get: a Map of every key asked, missing ones null"(kv) {
    await kv.put("a", JSON_TEXT);
    await kv.put("b", "[2]", { metadata: { m: 2 } });
    const keys = ["a", "b", "missing"];
    return {
      text: describe(await kv.get(keys)),
      json: describe(await kv.get(keys, "json")),
      jsonObject: describe(await kv.get(keys, { type: "json" })),
      withMetadata: describe(await kv.getWithMetadata(keys)),
      withMetadataJson: describe(await kv.getWithMetadata(keys, "json")),
    };
  },

  async "list: prefix, metadata, limit and cursor"(kv) {
    await kv.put("p/1", "1", { metadata: { i: 1 } });
    await kv.put("p/2", "2");
    await kv.put("p/3", "3");
    await kv.put("q/1", "4");
    const first = await kv.list({ prefix: "p/", limit: 2 });
    const rest = await kv.list({
      prefix: "p/",
      cursor: first.list_complete ? undefined : first.cursor,
    });
    return {
      all: describe(await kv.list({ prefix: "p/" })),
      firstPage: describe({ ...first, cursor: typeof (first as { cursor?: unknown }).cursor }),
      rest: describe(rest),
    };
  },

  async "delete: a key, then a key that is not there"(kv) {
    await kv.put("d", "v");
    return {
      deleted: await outcome(() => kv.delete("d")),
      after: describe(await kv.get("d")),
      missing: await outcome(() => kv.delete("missing")),
    };
  },
};
