// Byte calls: a call on a remote binding whose body travels as bytes on the HTTP path, not as
// capnweb stream messages over the RPC session. R2 get/put/uploadPart and Workers AI's
// `run(…, { stream: true })` use them (see docs/architecture.md, "Bodies as bytes").
//
// The facade in the user's isolate sends an ordinary binding fetch() to the proxy client, which
// carries it like any other (credentials, MF-* headers, redirect: "manual"); the proxy server
// recognises it by the call header on a binding that has no fetch() of its own, makes the call in
// that request's context and answers the body as the response body. Arguments and results that
// are not the body travel as capnweb's serialization (Date, Headers, bytes survive).

/** Request headers the facade sets (they reach the proxy server as MF-Header-<name>). */
export const BYTE_CALL = {
  /** The adapter method to call. Its presence makes a fetch() a byte call. */
  METHOD: "Access-Bridge-Call",
  /** The call's arguments, URI-encoded capnweb serialization, when the body is one of them. */
  ARGS: "Access-Bridge-Call-Args",
  /** Which argument the request body is; absent when the body holds the serialized arguments. */
  BODY_ARG: "Access-Bridge-Call-Body-Arg",
  /** Response: how to read the result (see ByteCallResult). */
  RESULT: "Access-Bridge-Result",
  /** Response, for "stream": the result's other fields, URI-encoded capnweb serialization. */
  RESULT_FIELDS: "Access-Bridge-Result-Fields",
} as const;

/**
 * How the response carries the result:
 * - "stream": the result is the body (a stream), or an object whose `body` it is, with its other
 *   fields in RESULT_FIELDS;
 * - "value": the body is the result, serialized;
 * - "error": the body is the error the call threw, serialized (status 500).
 */
export type ByteCallResult = "stream" | "value" | "error";

/** The URL the facade's fetch() names (MF-URL); the proxy server does not look at it. */
export const BYTE_CALL_URL = "http://access-bridge.invalid/byte-call";
