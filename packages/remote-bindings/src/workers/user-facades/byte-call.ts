// The facade's side of a byte call (see shared/byte-call-wire.ts): one fetch() through the
// binding's service binding to the proxy client, which sends it to the proxy server on the HTTP
// path with the credentials, as it sends every fetch(). A body returned is the response's body,
// passed on unread.
import { deserialize, serialize } from "capnweb";
import type { ByteCallResult } from "../shared/byte-call-wire.js";
import { BYTE_CALL, BYTE_CALL_URL } from "../shared/byte-call-wire.js";
import type { RawBinding } from "./raw-binding.js";
import { relayedBody } from "./relayed-body.js";

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

// Proxy servers deployed before byte calls answer them 400 "… has no fetch()"; for those the
// facade makes the call over RPC, as before, and stops trying byte calls on the binding.
const olderServer = new WeakSet<RawBinding>();
const OLDER_SERVER = /^Binding ".*" has no fetch\(\)\.$/;

export interface ByteCallOptions {
  /** Which argument travels as the request body (R2 put, uploadPart's value). */
  bodyArg?: number;
}

export async function byteCall(
  raw: RawBinding,
  method: string,
  args: unknown[],
  options: ByteCallOptions = {},
): Promise<unknown> {
  if (olderServer.has(raw)) return raw[method]!(...args);
  const { bodyArg } = options;
  const headers = new Headers({ [BYTE_CALL.METHOD]: method });
  let body: BodyInit | null;
  if (bodyArg === undefined) {
    body = serialize(args);
  } else {
    body = args[bodyArg] as BodyInit | null;
    const rest = args.map((arg, index) => (index === bodyArg ? null : arg));
    headers.set(BYTE_CALL.ARGS, encodeURIComponent(serialize(rest)));
    headers.set(BYTE_CALL.BODY_ARG, String(bodyArg));
  }
  const response = await (raw.fetch as unknown as Fetch)(BYTE_CALL_URL, {
    method: "POST",
    headers,
    body,
  });
  const kind = response.headers.get(BYTE_CALL.RESULT) as ByteCallResult | null;
  if (kind === "stream") {
    const fields = response.headers.get(BYTE_CALL.RESULT_FIELDS);
    const body = relayedBody(response);
    if (fields === null) return body;
    return { ...(deserialize(decodeURIComponent(fields)) as object), body };
  }
  if (kind === "value") return deserialize(await response.text());
  if (kind === "error") throw deserialize(await response.text());
  // Not the proxy server's answer to the call: the proxy client's (an Access refusal, an
  // unreachable remote) or the proxy server's refusal of the request, each already a message
  // that says what happened and what to do.
  const text = (await response.text()).trim();
  if (response.status === 400 && OLDER_SERVER.test(text)) {
    if (!(body instanceof ReadableStream)) {
      olderServer.add(raw);
      return raw[method]!(...args);
    }
    throw new Error(
      `The proxy server does not take byte calls (it answered "${text}"), so the stream given ` +
        `to "${method}" could not be sent, and a stream cannot be sent twice. Deploy the proxy ` +
        `server again with this version of access-bridge.`,
    );
  }
  throw new Error(text || `The proxy server answered ${response.status} to a "${method}" call.`);
}
