export interface Entry {
  id: number;
  author: string;
  message: string;
  created_at: string;
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  author TEXT NOT NULL,
  message TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (datetime('now'))
)`;

let schemaReady: Promise<unknown> | undefined;

/** Guestbook entries in D1. The table is created on first use, so an empty database works. */
export class Guestbook {
  constructor(private readonly db: D1Database) {}

  private ready(): Promise<unknown> {
    schemaReady ??= this.db
      .prepare(SCHEMA)
      .run()
      .catch((error: unknown) => {
        schemaReady = undefined;
        throw error;
      });
    return schemaReady;
  }

  async latest(): Promise<Entry[]> {
    await this.ready();
    const { results } = await this.db
      .prepare("SELECT * FROM entries ORDER BY id DESC LIMIT 20")
      .all<Entry>();
    return results;
  }

  async sign(author: string, message: string): Promise<Entry> {
    await this.ready();
    const entry = await this.db
      .prepare("INSERT INTO entries (author, message) VALUES (?, ?) RETURNING *")
      .bind(author, message)
      .first<Entry>();
    return entry!;
  }
}
