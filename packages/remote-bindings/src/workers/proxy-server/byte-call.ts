// The proxy server's side of a byte call (see shared/byte-call-wire.ts): the call is made in the
// context of the HTTP request that carries it, so a body in either direction is that request's or
// its response's body, moved by workerd as bytes with TCP's flow control, never held whole.
import { deserialize, serialize } from "capnweb";
import { WIRE } from "../../shared/wire-protocol.js";
import type { ByteCallResult } from "../shared/byte-call-wire.js";
import { BYTE_CALL } from "../shared/byte-call-wire.js";
import { KnownLengthBody } from "./known-length-body.js";
import { rpcTargetFor } from "./rpc-target.js";

const header = (request: Request, name: string) =>
  request.headers.get(`${WIRE.HEADER_PREFIX}${name}`);

/** Whether a request to a binding without fetch() of its own is a byte call. */
export function isByteCall(request: Request): boolean {
  return header(request, BYTE_CALL.METHOD) !== null;
}

async function argumentsOf(request: Request): Promise<unknown[]> {
  const bodyArg = header(request, BYTE_CALL.BODY_ARG);
  if (bodyArg === null) return deserialize(await request.text()) as unknown[];
  const args = deserialize(decodeURIComponent(header(request, BYTE_CALL.ARGS) ?? "")) as unknown[];
  // A body whose length the request states can go to R2 as it arrives; any other is read whole.
  args[Number(bodyArg)] =
    request.body === null
      ? null
      : request.headers.has("Content-Length")
        ? new KnownLengthBody(request.body)
        : request.body;
  return args;
}

const answer = (kind: ByteCallResult, body: BodyInit | null, status = 200, fields?: string) =>
  new Response(body, {
    status,
    headers: {
      [BYTE_CALL.RESULT]: kind,
      ...(fields === undefined ? {} : { [BYTE_CALL.RESULT_FIELDS]: encodeURIComponent(fields) }),
    },
  });

function resultResponse(result: unknown): Response {
  if (result instanceof ReadableStream) return answer("stream", result);
  if (typeof result === "object" && result !== null && "body" in result) {
    const { body, ...fields } = result as { body: unknown };
    if (body instanceof ReadableStream) return answer("stream", body, 200, serialize(fields));
  }
  return answer("value", serialize(result));
}

export async function serveByteCall(request: Request, binding: object): Promise<Response> {
  const method = header(request, BYTE_CALL.METHOD)!;
  const target = rpcTargetFor(binding) as Record<string, unknown>;
  try {
    // As capnweb would: what every object has is not a method of the binding.
    const call = method in Object.prototype ? undefined : target[method];
    if (typeof call !== "function") {
      throw new TypeError(`The binding has no method "${method.slice(0, 100)}".`);
    }
    return resultResponse(
      await (call as (...args: unknown[]) => unknown).apply(target, await argumentsOf(request)),
    );
  } catch (error) {
    return answer("error", serialize(error), 500);
  }
}
