// The D1 API in the user's isolate. prepare() is synchronous and batch() takes the statements
// themselves, which no RPC call can offer (an unawaited RPC promise cannot be an argument), so
// statements are built here and only their SQL and parameters travel, to the proxy server's D1
// adapter (d1-adapter.ts).
import type {
  D1Mode,
  D1QueryWire,
  D1SessionResultWire,
  D1StatementWire,
} from "../shared/storage-wire.js";
import type { RawBinding } from "./raw-binding.js";

// What batch() sends for each statement; kept off the statement so user code cannot edit it.
const statementWires = new WeakMap<object, D1StatementWire>();

/** Runs calls for a database or for one of its sessions (which tracks the bookmark). */
interface D1Runner {
  query(query: D1QueryWire): Promise<unknown>;
  batch(statements: D1StatementWire[]): Promise<unknown>;
}

class RemoteD1Statement {
  readonly #runner: D1Runner;

  constructor(runner: D1Runner, wire: D1StatementWire) {
    this.#runner = runner;
    statementWires.set(this, wire);
  }

  bind(...params: unknown[]): RemoteD1Statement {
    return new RemoteD1Statement(this.#runner, { sql: statementWires.get(this)!.sql, params });
  }

  #run(mode: D1Mode, extra: Partial<D1QueryWire> = {}): Promise<unknown> {
    return this.#runner.query({ ...statementWires.get(this)!, mode, ...extra });
  }

  first(column?: string) {
    return this.#run("first", column === undefined ? {} : { column });
  }

  all() {
    return this.#run("all");
  }

  run() {
    return this.#run("run");
  }

  raw(options?: { columnNames?: boolean }) {
    return this.#run("raw", options?.columnNames ? { columnNames: true } : {});
  }
}

function wireOf(statement: unknown): D1StatementWire {
  const wire =
    typeof statement === "object" && statement !== null ? statementWires.get(statement) : undefined;
  if (wire === undefined) {
    throw new TypeError(
      "D1 batch() takes statements made by this binding's prepare() (and bind()).",
    );
  }
  return wire;
}

class RemoteD1Session {
  #bookmark: string;
  readonly #runner: D1Runner;

  constructor(raw: RawBinding, constraint: string) {
    this.#bookmark = constraint;
    const inSession = async (call: Promise<unknown>) => {
      const { result, bookmark } = (await call) as D1SessionResultWire;
      if (bookmark !== null) this.#bookmark = bookmark;
      return result;
    };
    this.#runner = {
      query: (query) => inSession(raw.query(query, this.#bookmark)),
      batch: (statements) => inSession(raw.batch(statements, this.#bookmark)),
    };
  }

  prepare(sql: string): RemoteD1Statement {
    return new RemoteD1Statement(this.#runner, { sql, params: [] });
  }

  // async: a foreign statement rejects the promise, as D1's own batch() does, never throws.
  async batch(statements: unknown[]): Promise<unknown> {
    return this.#runner.batch(statements.map(wireOf));
  }

  /** The bookmark of the latest call in this session, or the constraint it started from. */
  getBookmark(): string | null {
    return this.#bookmark === "first-unconstrained" || this.#bookmark === "first-primary"
      ? null
      : this.#bookmark;
  }
}

export function d1Facade(raw: RawBinding) {
  const runner: D1Runner = {
    query: (query) => raw.query(query),
    batch: (statements) => raw.batch(statements),
  };
  return {
    prepare: (sql: string) => new RemoteD1Statement(runner, { sql, params: [] }),
    // async: a foreign statement rejects the promise, as D1's own batch() does, never throws.
    batch: async (statements: unknown[]) => runner.batch(statements.map(wireOf)),
    exec: (sql: string) => raw.exec(sql),
    withSession: (constraintOrBookmark = "first-unconstrained") =>
      new RemoteD1Session(raw, constraintOrBookmark),
    dump: () =>
      Promise.reject(
        new Error(
          "D1 dump() is deprecated and not carried by access-bridge; use `wrangler d1 export`.",
        ),
      ),
  };
}
