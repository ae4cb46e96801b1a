// A request body whose length its Content-Length stated. R2 takes a stream only when it knows its
// length up front, which workerd knows for such a body but which a stream that crossed RPC no
// longer says; the R2 adapter passes this one through and reads any other stream whole.
export class KnownLengthBody {
  constructor(readonly stream: ReadableStream) {}
}
