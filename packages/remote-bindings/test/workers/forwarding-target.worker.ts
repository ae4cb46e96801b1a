// Test-only Worker: serves a binding through forwardingTarget() (src/workers/proxy-server/
// forwarding-target.ts) on one end of a real capnweb session over a MessageChannel, calls it from
// the other end as the proxy client would, and answers what the caller observed, as JSON.
// GET /direct: the target itself; /product, /thenable, /nested: stand-ins for product bindings
// (classes with methods, data, handles they return); /r2: a real R2 bucket, a native binding
// object whose results are native objects too.
import { newMessagePortRpcSession, RpcTarget } from "capnweb";
import { forwardingTarget } from "../../src/workers/proxy-server/forwarding-target.js";
import { describe, outcome } from "./storage/observe.js";

class Handle {
  readonly id: number;
  constructor(id: number) {
    this.id = id;
  }
  describe() {
    return `handle ${this.id}`;
  }
}

/** Shaped like a product binding (Workers AI, Images, …): an object of another class. */
class ProductBinding {
  data = "an own data property";
  get computed() {
    return "a getter";
  }
  async run(input: unknown) {
    return { echoed: input, at: new Date(0), list: [1, "two"] };
  }
  sync() {
    return 42;
  }
  async handle(id: number) {
    return new Handle(id);
  }
  async itself() {
    return this;
  }
  async stream() {
    return new Response("streamed").body;
  }
  async bytes() {
    return new Uint8Array([1, 2, 3]);
  }
  async response() {
    return new Response("a response", { status: 201 });
  }
  async fails() {
    throw new TypeError("bad input");
  }
  async callBack(callback: (value: number) => Promise<number>) {
    return callback(21);
  }
  async many() {
    return [new Handle(1), new Handle(2)];
  }
  toJSON() {
    return "toJSON() ran";
  }
}

/** A binding with a then() method: its target must still not look like a promise. */
class ThenableBinding {
  ping() {
    return "pong";
  }
  then(resolve: (value: unknown) => void) {
    resolve("then() ran: the target looked like a promise");
  }
}

type Stub = Record<string, (...args: unknown[]) => Promise<unknown>> & Record<string, unknown>;

function serve(binding: object): { stub: Stub; close(): void } {
  const channel = new MessageChannel();
  newMessagePortRpcSession(channel.port1, forwardingTarget(binding));
  const stub = newMessagePortRpcSession(channel.port2) as unknown as Stub;
  return {
    stub,
    close() {
      channel.port1.close();
      channel.port2.close();
    },
  };
}

/** A property read across the session (capnweb pipelines it like a call). */
const read = (stub: Stub, property: string) =>
  outcome(() => stub[property] as unknown as Promise<unknown>);

/** The target itself, without capnweb: which of its properties are there, and what they are. */
async function direct(): Promise<unknown> {
  const target = forwardingTarget(new ProductBinding()) as unknown as Record<string, unknown>;
  const kinds = Object.fromEntries(
    ["run", "sync", "data", "computed", "missing", "constructor", "toJSON", "then"].map((name) => [
      name,
      typeof target[name],
    ]),
  );
  const thenable = forwardingTarget(new ThenableBinding());
  return {
    kinds,
    constructor:
      target.constructor === RpcTarget
        ? "RpcTarget's"
        : target.constructor === ProductBinding
          ? "the binding's"
          : "another function",
    isRpcTarget: target instanceof RpcTarget,
    thenableBindingThen: typeof (thenable as unknown as { then?: unknown }).then,
    awaitedIsItself: (await Promise.resolve(thenable)) === thenable,
  };
}

async function product(): Promise<unknown> {
  const { stub, close } = serve(new ProductBinding());
  try {
    const handle = (await stub.handle!(7)) as Stub;
    const again = (await stub.itself!()) as Stub;
    const response = (await stub.response!()) as Response;
    return {
      run: await outcome(() => stub.run!({ a: 1 })),
      sync: await outcome(() => stub.sync!()),
      bytes: await outcome(() => stub.bytes!()),
      stream: await stub.stream!().then(async (stream) =>
        stream instanceof ReadableStream
          ? { ReadableStream: await new Response(stream).text() }
          : describe(stream),
      ),
      response: { status: response.status, text: await response.text() },
      fails: await outcome(() => stub.fails!()),
      callBack: await outcome(() => stub.callBack!(async (value: number) => value * 2)),
      handle: {
        method: await outcome(() => handle.describe!()),
        data: await read(handle, "id"),
      },
      itself: { method: await outcome(() => again.sync!()), data: await read(again, "data") },
      data: await read(stub, "data"),
      getter: await read(stub, "computed"),
      missing: await outcome(() => stub.missing!()),
      toJSON: await outcome(() => stub.toJSON!()),
    };
  } finally {
    close();
  }
}

async function thenable(): Promise<unknown> {
  const { stub, close } = serve(new ThenableBinding());
  try {
    return { ping: await outcome(() => stub.ping!()) };
  } finally {
    close();
  }
}

// Class instances inside a plain result (an array of handles, R2's list()) are neither data
// capnweb carries nor the result itself, which is what gets forwarded.
async function nested(): Promise<unknown> {
  const { stub, close } = serve(new ProductBinding());
  try {
    const many = await outcome(async () => {
      const handles = (await stub.many!()) as Stub[];
      return Promise.all(handles.map((handle) => handle.describe!()));
    });
    return { many };
  } finally {
    close();
  }
}

async function r2(bucket: R2Bucket): Promise<unknown> {
  const { stub, close } = serve(bucket);
  try {
    const put = (await stub.put!("k", "hello")) as Stub;
    const body = (await stub.get!("k")) as Stub;
    return {
      put: { key: await read(put, "key"), size: await read(put, "size") },
      body: {
        text: await outcome(() => body.text!()),
        key: await read(body, "key"),
        body: await read(body, "body"),
      },
      head: await read((await stub.head!("k")) as Stub, "etag"),
      missing: await outcome(() => stub.get!("missing")),
    };
  } finally {
    close();
  }
}

export default {
  async fetch(request: Request, env: { BUCKET: R2Bucket }): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === "/direct") return Response.json(await direct());
    if (pathname === "/product") return Response.json(await product());
    if (pathname === "/thenable") return Response.json(await thenable());
    if (pathname === "/nested") return Response.json(await nested());
    if (pathname === "/r2") return Response.json(await r2(env.BUCKET));
    return new Response(`no scenario ${pathname}`, { status: 404 });
  },
};
