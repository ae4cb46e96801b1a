// D1 on the proxy server: statements arrive as SQL and parameters (see shared/storage-wire.ts).
import { RpcTarget } from "capnweb";
import type { D1QueryWire, D1SessionResultWire, D1StatementWire } from "../shared/storage-wire.js";

// capnweb carries bytes as Uint8Array; D1 binds ArrayBuffers as BLOBs.
const blob = (value: unknown): unknown =>
  value instanceof Uint8Array
    ? value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength)
    : value;

type Queryable = Pick<D1Database, "prepare" | "batch">;

function statement(db: Queryable, { sql, params }: D1StatementWire): D1PreparedStatement {
  const prepared = db.prepare(sql);
  return params.length === 0 ? prepared : prepared.bind(...params.map(blob));
}

function run(db: Queryable, query: D1QueryWire): Promise<unknown> {
  const prepared = statement(db, query);
  switch (query.mode) {
    case "first":
      return query.column === undefined ? prepared.first() : prepared.first(query.column);
    case "raw":
      return query.columnNames ? prepared.raw({ columnNames: true }) : prepared.raw();
    case "run":
      return prepared.run();
    default:
      return prepared.all();
  }
}

export class D1Adapter extends RpcTarget {
  readonly #db: D1Database;

  constructor(db: D1Database) {
    super();
    this.#db = db;
  }

  /** With `session`, runs in `withSession(session)` and answers the bookmark after it too. */
  async query(query: D1QueryWire, session?: string): Promise<unknown> {
    if (session === undefined) return run(this.#db, query);
    const inSession = this.#db.withSession(session);
    const result = await run(inSession, query);
    return { result, bookmark: inSession.getBookmark() } satisfies D1SessionResultWire;
  }

  async batch(statements: D1StatementWire[], session?: string): Promise<unknown> {
    if (session === undefined) return this.#db.batch(statements.map((s) => statement(this.#db, s)));
    const inSession = this.#db.withSession(session);
    const result = await inSession.batch(statements.map((s) => statement(inSession, s)));
    return { result, bookmark: inSession.getBookmark() } satisfies D1SessionResultWire;
  }

  exec(sql: string): Promise<unknown> {
    return this.#db.exec(sql);
  }
}
