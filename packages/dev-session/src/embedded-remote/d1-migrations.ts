// The D1 stand-ins of the embedded remote start as the deployed database would be: with the
// migrations of the wrangler config (`migrations_dir`, default `migrations`) applied, and
// recorded in the table wrangler records them in (`migrations_table`, default `d1_migrations`),
// so that each one is applied once to a stand-in's persisted state, as `wrangler d1 migrations
// apply` applies it once to a real database.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { CarriedBinding } from "@access-bridge/remote-bindings";
import { sqlStatements } from "./sql-statements.js";

/** The part of a D1Database binding (from Node, through Miniflare) that migrations need. */
export interface MigratableDatabase {
  prepare(sql: string): PreparedStatement;
  batch(statements: PreparedStatement[]): Promise<unknown>;
}

interface PreparedStatement {
  bind(...values: unknown[]): PreparedStatement;
  all<T>(): Promise<{ results: T[] }>;
}

export interface D1MigrationsPlan {
  binding: string;
  /** Absolute. */
  dir: string;
  table: string;
}

export function d1MigrationsPlan(binding: CarriedBinding, configDir: string): D1MigrationsPlan {
  const declared = binding.declaration as { migrations_dir?: unknown; migrations_table?: unknown };
  return {
    binding: binding.name,
    dir: path.resolve(
      configDir,
      typeof declared.migrations_dir === "string" ? declared.migrations_dir : "migrations",
    ),
    table:
      typeof declared.migrations_table === "string" ? declared.migrations_table : "d1_migrations",
  };
}

export interface AppliedMigrations {
  binding: string;
  dir: string;
  /** File names applied now, in order. */
  applied: string[];
  /** How many the folder holds. */
  total: number;
}

/** Applies the migrations not yet recorded in the database; each file in one batch (atomic). */
export async function applyD1Migrations(
  db: MigratableDatabase,
  plan: D1MigrationsPlan,
): Promise<AppliedMigrations> {
  const files = existsSync(plan.dir)
    ? readdirSync(plan.dir)
        .filter((name) => name.endsWith(".sql"))
        .sort()
    : [];
  const result: AppliedMigrations = {
    binding: plan.binding,
    dir: plan.dir,
    applied: [],
    total: files.length,
  };
  if (files.length === 0) return result;
  const table = `"${plan.table.replaceAll('"', '""')}"`;
  await db.batch([
    db.prepare(
      `CREATE TABLE IF NOT EXISTS ${table} (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)`,
    ),
  ]);
  const { results } = await db.prepare(`SELECT name FROM ${table}`).all<{ name: string }>();
  const done = new Set(results.map((row) => row.name));
  for (const file of files) {
    if (done.has(file)) continue;
    const statements = sqlStatements(readFileSync(path.join(plan.dir, file), "utf8"));
    try {
      await db.batch([
        ...statements.map((statement) => db.prepare(statement)),
        db.prepare(`INSERT INTO ${table} (name) VALUES (?)`).bind(file),
      ]);
    } catch (error) {
      throw new Error(
        `The migration ${path.join(plan.dir, file)} failed on the embedded remote's D1 stand-in for ${plan.binding}: ${error instanceof Error ? error.message : String(error)}. Fix the migration and start again; the migrations before it are applied.`,
        { cause: error },
      );
    }
    result.applied.push(file);
  }
  return result;
}
