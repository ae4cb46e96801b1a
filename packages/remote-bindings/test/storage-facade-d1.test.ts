// The D1 facade of the user's isolate (src/workers/user-facades/d1.ts) over the proxy server's D1
// adapter (src/workers/proxy-server/d1-adapter.ts) and a real database, in workerd: statements
// built locally (bind() makes a new one), every way to read results, batches, sessions and their
// bookmarks, and what the facade refuses.
import { expect } from "vitest";
import { storageScenarios } from "./support/storage-scenarios.js";

const refusedBatch = {
  message: "D1 batch() takes statements made by this binding's prepare() (and bind()).",
};

storageScenarios("d1", {
  "statements: bind() makes a new statement and leaves the prepared one reusable": {
    binding: {
      bindMakesNew: true,
      runOne: { results: [], success: true, changes: 1, lastRowId: 1 },
      runTwo: { results: [], success: true, changes: 1, lastRowId: 2 },
      insertUnbound: { rejected: "Error", message: expect.stringContaining("parameter bindings") },
      oneAgain: { rejected: "Error", message: expect.stringContaining("UNIQUE constraint failed") },
      reused: ["one", "two", "one"],
    },
  },
  "first(), first(column), all(), raw() and raw({ columnNames })": {
    binding: {
      first: { id: 1, name: "a" },
      firstColumn: "a",
      firstNullColumn: null,
      firstNone: null,
      firstNoneColumn: null,
      firstUnknownColumn: {
        rejected: "Error",
        message: expect.stringContaining("D1_COLUMN_NOTFOUND"),
      },
      all: {
        results: [
          { id: 1, name: "a" },
          { id: 2, name: null },
        ],
        success: true,
      },
      allNone: { results: [], success: true },
      raw: [
        [1, "a"],
        [2, null],
      ],
      rawColumnNames: [
        ["id", "name"],
        [1, "a"],
        [2, null],
      ],
      rawColumnNamesFalse: [
        [1, "a"],
        [2, null],
      ],
      rawNoneColumnNames: [["id", "name"]],
    },
  },
  "parameters: text, numbers, null, booleans and bytes": {
    binding: {
      rows: {
        results: [
          { id: 1, v: "text", type: "text" },
          { id: 2, v: 2.5, type: "real" },
          { id: 3, v: null, type: "null" },
          { id: 4, v: 1, type: "real" },
          { id: 5, v: [1, 2, 3], type: "blob" },
        ],
      },
    },
  },
  "parameters: an ArrayBuffer is a BLOB": {
    binding: { bound: "resolved", rows: { results: [{ v: [7, 8], type: "blob" }] } },
  },
  "batch: results in order, one transaction, a failing statement rolls back": {
    binding: {
      results: [
        { changes: 1, lastRowId: 1 },
        { changes: 1, lastRowId: 2 },
        { results: [{ v: "x" }, { v: "y" }] },
      ],
      failing: { rejected: "Error", message: expect.stringContaining("no such table") },
      afterRollback: 2,
      empty: { rejected: "Error" },
    },
  },
  "exec: several statements, and an error": {
    binding: {
      duration: "number",
      rows: 2,
      error: { rejected: "Error", message: expect.stringContaining("D1_EXEC_ERROR") },
      queryError: { rejected: "Error", message: expect.stringContaining("no such table") },
    },
  },
  "sessions: bookmarks follow the session's calls": {
    binding: {
      initial: null,
      afterQuery: expect.any(String),
      afterBatch: expect.any(String),
      primary: null,
      unconstrained: null,
      resumedBookmark: true,
      resumedRead: 1,
      resumedRaw: [["v"], [1]],
    },
  },
  "batch() refuses what its prepare() did not make": {
    // D1 itself sends whatever it is given and fails on the server.
    binding: {
      database: { rejected: "Error" },
      session: { rejected: "Error" },
      sessionStatementInDatabase: [{ results: [{ one: 1 }] }],
    },
    facade: {
      database: expect.objectContaining({ message: refusedBatch.message }),
      session: expect.objectContaining({ message: refusedBatch.message }),
      sessionStatementInDatabase: [{ results: [{ one: 1 }] }],
    },
  },
  "batch() with a foreign object answers a rejected promise, not a throw": {
    binding: { database: "rejected", session: "rejected" },
    facade: { database: "rejected", session: "rejected" },
  },
  "dump() is refused with what to use instead": {
    binding: { dump: { rejected: "Error" } },
    facade: { dump: { rejected: "Error", message: expect.stringContaining("wrangler d1 export") } },
  },
});
