// D1 calls whose answers the facade over the adapter must give exactly as the D1 binding does.
// Timings and the like in `meta` differ from call to call, so results keep what a caller relies
// on: rows, success, and the counts in `meta`.
import { describe, outcome } from "./observe.js";

function result(value: unknown): unknown {
  const { results, success, meta } = value as D1Result;
  return {
    results: describe(results),
    success,
    changes: meta.changes,
    lastRowId: meta.last_row_id,
    metaKeys: Object.keys(meta).sort(),
  };
}

export const d1Scenarios: Record<string, (db: D1Database) => Promise<unknown>> = {
  async "statements: bind() makes a new statement and leaves the prepared one reusable"(db) {
    await db.exec("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
    const insert = db.prepare("INSERT INTO people (id, name) VALUES (?, ?)");
    const one = insert.bind(1, "one");
    const two = insert.bind(2, "two");
    const byId = db.prepare("SELECT name FROM people WHERE id = ?");
    return {
      bindMakesNew: one !== insert && two !== insert && one !== two,
      runOne: result(await one.run()),
      runTwo: result(await two.run()),
      // bind() left `insert` without parameters, and `one` still holds its own.
      insertUnbound: await outcome(() => insert.run()),
      oneAgain: await outcome(() => one.run()),
      reused: [
        await byId.bind(1).first("name"),
        await byId.bind(2).first("name"),
        await byId.bind(1).first("name"),
      ],
    };
  },

  async "first(), first(column), all(), raw() and raw({ columnNames })"(db) {
    await db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
    await db.batch([
      db.prepare("INSERT INTO t VALUES (?, ?)").bind(1, "a"),
      db.prepare("INSERT INTO t VALUES (?, ?)").bind(2, null),
    ]);
    const select = db.prepare("SELECT id, name FROM t ORDER BY id");
    const none = db.prepare("SELECT id, name FROM t WHERE id = 99");
    return {
      first: describe(await select.first()),
      firstColumn: describe(await select.first("name")),
      firstNullColumn: describe(await db.prepare("SELECT name FROM t WHERE id = 2").first("name")),
      firstNone: describe(await none.first()),
      firstNoneColumn: describe(await none.first("name")),
      firstUnknownColumn: await outcome(() => select.first("nope")),
      all: result(await select.all()),
      allNone: result(await none.all()),
      raw: describe(await select.raw()),
      rawColumnNames: describe(await select.raw({ columnNames: true })),
      rawColumnNamesFalse: describe(await select.raw({ columnNames: false })),
      rawNoneColumnNames: describe(await none.raw({ columnNames: true })),
    };
  },

  async "parameters: text, numbers, null, booleans and bytes"(db) {
    await db.exec("CREATE TABLE p (id INTEGER PRIMARY KEY, v)");
    const insert = db.prepare("INSERT INTO p (id, v) VALUES (?, ?)");
    await insert.bind(1, "text").run();
    await insert.bind(2, 2.5).run();
    await insert.bind(3, null).run();
    await insert.bind(4, true).run();
    await insert.bind(5, new Uint8Array([1, 2, 3])).run();
    return {
      rows: result(await db.prepare("SELECT id, v, typeof(v) AS type FROM p ORDER BY id").all()),
    };
  },

  async "parameters: an ArrayBuffer is a BLOB"(db) {
    await db.exec("CREATE TABLE ab (v)");
    const bound = await outcome(() =>
      db
        .prepare("INSERT INTO ab (v) VALUES (?)")
        .bind(new Uint8Array([7, 8]).buffer)
        .run(),
    );
    return {
      bound: (bound as { resolved?: unknown }).resolved === undefined ? bound : "resolved",
      rows: result(await db.prepare("SELECT v, typeof(v) AS type FROM ab").all()),
    };
  },

  async "batch: results in order, one transaction, a failing statement rolls back"(db) {
    await db.exec("CREATE TABLE b (v TEXT)");
    const insert = db.prepare("INSERT INTO b (v) VALUES (?)");
    const results = await db.batch([
      insert.bind("x"),
      insert.bind("y"),
      db.prepare("SELECT v FROM b ORDER BY v"),
    ]);
    return {
      results: results.map(result),
      failing: await outcome(() =>
        db.batch([insert.bind("z"), db.prepare("INSERT INTO missing_table VALUES (1)")]),
      ),
      afterRollback: await db.prepare("SELECT count(*) AS n FROM b").first("n"),
      empty: await outcome(() => db.batch([])),
    };
  },

  async "exec: several statements, and an error"(db) {
    const executed = await db.exec(
      "CREATE TABLE e (v); INSERT INTO e VALUES (1); INSERT INTO e VALUES (2);",
    );
    return {
      count: executed.count,
      duration: typeof executed.duration,
      rows: await db.prepare("SELECT count(*) AS n FROM e").first("n"),
      error: await outcome(() => db.exec("NOT SQL")),
      queryError: await outcome(() => db.prepare("SELECT * FROM missing_table").all()),
    };
  },

  async "sessions: bookmarks follow the session's calls"(db) {
    const session = db.withSession();
    const initial = session.getBookmark();
    await session.prepare("CREATE TABLE s (v)").run();
    const afterQuery = session.getBookmark();
    await session.batch([session.prepare("INSERT INTO s VALUES (?)").bind(1)]);
    const afterBatch = session.getBookmark();
    const resumed = db.withSession(afterBatch ?? undefined);
    return {
      initial,
      afterQuery: describe(afterQuery),
      afterBatch: describe(afterBatch),
      primary: db.withSession("first-primary").getBookmark(),
      unconstrained: db.withSession("first-unconstrained").getBookmark(),
      resumedBookmark: resumed.getBookmark() === afterBatch,
      resumedRead: await resumed.prepare("SELECT count(*) AS n FROM s").first("n"),
      resumedRaw: describe(await resumed.prepare("SELECT v FROM s").raw({ columnNames: true })),
    };
  },

  async "batch() refuses what its prepare() did not make"(db) {
    const foreign = { sql: "SELECT 1", params: [] } as unknown as D1PreparedStatement;
    return {
      database: await outcome(() => db.batch([foreign])),
      session: await outcome(() => db.withSession().batch([foreign])),
      // A session's statement is not foreign to its database.
      sessionStatementInDatabase: (
        await db.batch([db.withSession().prepare("SELECT 1 AS one")])
      ).map(result),
    };
  },

  // D1's batch() is an async method: whatever goes wrong, the caller gets a rejected promise.
  async "batch() with a foreign object answers a rejected promise, not a throw"(db) {
    const foreign = { sql: "SELECT 1", params: [] } as unknown as D1PreparedStatement;
    const ending = async (call: () => unknown) => Object.keys(await outcome(call))[0];
    return {
      database: await ending(() => db.batch([foreign])),
      session: await ending(() => db.withSession().batch([foreign])),
    };
  },

  async "dump() is refused with what to use instead"(db) {
    return { dump: await outcome(() => db.dump()) };
  },
};
