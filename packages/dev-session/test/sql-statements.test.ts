import { describe, expect, it } from "vitest";
import { sqlStatements } from "../src/embedded-remote/sql-statements.js";

describe("sqlStatements", () => {
  it("splits on semicolons, drops comments, keeps multi-line statements whole", () => {
    const sql = [
      "-- Migration number: 0001 \t 2024-12-27T22:04:18.794Z",
      "CREATE TABLE IF NOT EXISTS comments (",
      "    id INTEGER PRIMARY KEY NOT NULL, /* the key */",
      "    content TEXT NOT NULL",
      ");",
      "INSERT INTO comments (content)",
      "VALUES ('a;b'), ('it''s -- not a comment'), (\"x;\")",
      ";",
      "",
    ].join("\n");
    expect(sqlStatements(sql)).toEqual([
      "CREATE TABLE IF NOT EXISTS comments (\n    id INTEGER PRIMARY KEY NOT NULL,  \n    content TEXT NOT NULL\n)",
      "INSERT INTO comments (content)\nVALUES ('a;b'), ('it''s -- not a comment'), (\"x;\")",
    ]);
  });

  it("keeps a trigger's BEGIN … END body, CASE … END inside it included, in one statement", () => {
    const sql = `CREATE TRIGGER touch AFTER UPDATE ON notes BEGIN
  UPDATE notes SET kind = CASE WHEN NEW.body = '' THEN 'empty' ELSE 'full' END WHERE id = NEW.id;
  INSERT INTO log VALUES (NEW.id);
END;
SELECT 1;`;
    const statements = sqlStatements(sql);
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(
      /^CREATE TRIGGER touch[\s\S]*INSERT INTO log VALUES \(NEW\.id\);\nEND$/,
    );
    expect(statements[1]).toBe("SELECT 1");
  });

  it("gives nothing for a file of comments only", () => {
    expect(sqlStatements("-- nothing\n/* at all */\n")).toEqual([]);
  });
});
