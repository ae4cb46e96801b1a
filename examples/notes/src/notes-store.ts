export interface Note {
  id: number;
  title: string;
  body: string;
  attachment: string | null;
  created_at: string;
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS notes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  attachment TEXT,
  created_at TEXT NOT NULL DEFAULT (datetime('now'))
)`;

let schemaReady: Promise<unknown> | undefined;

/** Notes in D1. The table is created on first use, so a fresh database needs no migration step. */
export class NotesStore {
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

  async list(): Promise<Note[]> {
    await this.ready();
    const { results } = await this.db
      .prepare("SELECT * FROM notes ORDER BY id DESC LIMIT 50")
      .all<Note>();
    return results;
  }

  async get(ids: number[]): Promise<Note[]> {
    if (ids.length === 0) return [];
    await this.ready();
    const statements = ids.map((id) =>
      this.db.prepare("SELECT * FROM notes WHERE id = ?").bind(id),
    );
    const results = await this.db.batch<Note>(statements);
    return results.flatMap((result) => result.results);
  }

  async add(title: string, body: string, attachment: string | null): Promise<number> {
    await this.ready();
    const row = await this.db
      .prepare("INSERT INTO notes (title, body, attachment) VALUES (?, ?, ?) RETURNING id")
      .bind(title, body, attachment)
      .first<{ id: number }>();
    return row!.id;
  }
}
