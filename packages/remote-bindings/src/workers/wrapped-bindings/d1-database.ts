// The D1 API in the user's isolate. D1's prepare() is synchronous and batch() takes the
// statements themselves, which no RPC stub can offer, so statements are built here and only
// their SQL and parameters travel, to the proxy server's D1 adapter.
import type { D1Mode, D1QueryWire, D1StatementWire } from "../shared/storage-wire.js";

export interface D1Remote {
  query(query: D1QueryWire): Promise<unknown>;
  batch(statements: D1StatementWire[]): Promise<unknown>;
  exec(sql: string): Promise<unknown>;
}

// What batch() sends for each statement; kept off the statement so user code cannot edit it.
const statementWires = new WeakMap<object, D1StatementWire>();

class RemoteD1Statement {
  constructor(
    private readonly remote: () => D1Remote,
    wire: D1StatementWire,
  ) {
    statementWires.set(this, wire);
  }

  bind(...params: unknown[]): RemoteD1Statement {
    return new RemoteD1Statement(this.remote, { sql: statementWires.get(this)!.sql, params });
  }

  private execute(mode: D1Mode, extra: Partial<D1QueryWire> = {}): Promise<unknown> {
    return this.remote().query({ ...statementWires.get(this)!, mode, ...extra });
  }

  first(column?: string) {
    return this.execute("first", column === undefined ? {} : { column });
  }

  all() {
    return this.execute("all");
  }

  run() {
    return this.execute("run");
  }

  raw(options?: { columnNames?: boolean }) {
    return this.execute("raw", options?.columnNames ? { columnNames: true } : {});
  }
}

function wireOf(statement: unknown): D1StatementWire {
  const wire =
    typeof statement === "object" && statement !== null ? statementWires.get(statement) : undefined;
  if (wire === undefined) {
    throw new TypeError("D1 batch() takes statements made by this binding's prepare().");
  }
  return wire;
}

export class RemoteD1Database {
  constructor(private readonly remote: () => D1Remote) {}

  prepare(sql: string): RemoteD1Statement {
    return new RemoteD1Statement(this.remote, { sql, params: [] });
  }

  batch(statements: unknown[]): Promise<unknown> {
    return this.remote().batch(statements.map(wireOf));
  }

  exec(sql: string): Promise<unknown> {
    return this.remote().exec(sql);
  }

  /** Sessions (read replication) are a remote concern; locally every query goes to the primary. */
  withSession(): RemoteD1Database & { getBookmark(): null } {
    return Object.assign(Object.create(this) as RemoteD1Database, { getBookmark: () => null });
  }

  dump(): Promise<never> {
    return Promise.reject(
      new Error("D1 dump() is not supported on a remote binding through access-bridge."),
    );
  }
}
